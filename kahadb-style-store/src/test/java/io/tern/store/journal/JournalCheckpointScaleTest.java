package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoreBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million messages: how long a checkpoint takes, how long a send waits while one is taken, and restart time from
 * a checkpoint against a full replay. A measurement (about 60 MB of journal), off by default; run it with
 * {@code ./mvnw -B -q test -pl jms-api-impl,broker-core,kahadb-style-store -Dtest=JournalCheckpointScaleTest
 * -Dtern.journal.scale=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@EnabledIfSystemProperty(named = "tern.journal.scale", matches = "true")
class JournalCheckpointScaleTest {
    private static final int MESSAGES = 1_000_000;
    private static final int BATCH = 10_000;

    @TempDir
    Path dir;

    @Test
    void aMillionMessagesCheckpointWithoutStallingSendsAndRestartFast() throws Exception {
        JournalOptions manual = JournalOptions.defaults().withCheckpointInterval(600_000)
                .withSync(SyncPolicy.NEVER, 1000);
        try (JournalStore store = JournalStore.open(dir, manual)) {
            for (long first = 1; first <= MESSAGES; first += BATCH) {
                List<StoreBatch.Add> adds = new ArrayList<>(BATCH);
                for (long id = first; id < first + BATCH; id++) {
                    adds.add(new StoreBatch.Add("backlog", message(id, 16)));
                }
                await(store.commit(new StoreBatch(adds, List.of())));
            }
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong slowestSendNanos = new AtomicLong();
            AtomicLong sends = new AtomicLong();
            Thread sender = new Thread(() -> {
                for (long id = 10_000_001; sending.get(); id++) {
                    long start = System.nanoTime();
                    await(store.add("live", message(id, 16)));
                    slowestSendNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    sends.incrementAndGet();
                }
            });
            sender.start();
            long start = System.nanoTime();
            Path checkpoint = store.checkpoint();
            long checkpointMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            sending.set(false);
            sender.join(10_000);
            System.out.printf("checkpoint of %,d messages: %d ms, %,d bytes; %,d sends meanwhile, the slowest took"
                    + " %.1f ms%n", store.count("backlog"), checkpointMs, Files.size(checkpoint), sends.get(),
                    slowestSendNanos.get() / 1e6);
            store.halt();
        }
        long start = System.nanoTime();
        try (JournalStore store = JournalStore.open(dir, manual)) {
            System.out.printf("restart from the checkpoint: %d ms (%s)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), store.recoveryReport());
            assertThat(store.recoveryReport().checkpoint()).isNotNull();
            assertThat(store.count("backlog")).isEqualTo(MESSAGES);
            store.halt();
        }
        JournalTesting.deleteCheckpoints(dir);
        start = System.nanoTime();
        try (JournalStore store = JournalStore.open(dir, manual)) {
            System.out.printf("restart replaying every data file: %d ms (%s)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), store.recoveryReport());
            assertThat(store.count("backlog")).isEqualTo(MESSAGES);
            store.halt();
        }
    }
}
