package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivered marks in the journal: the last one per container wins across checkpoints and crashes, an UNSUBSCRIBE
 * forgets one, a live one keeps its file (and says so), compaction moves an old one, and writing one costs no force
 * of its own.
 */
@Timeout(60)
class JournalMarkTest {
    private static final int SIZE = 100;
    /** Checkpoints only when a test asks (and on a clean close). */
    private static final JournalOptions MANUAL = JournalOptions.defaults().withCheckpointInterval(600_000);
    private static final JournalOptions SMALL_FILES = MANUAL.withMaxFileSize(JournalOptions.MIN_FILE_SIZE)
            .withSync(SyncPolicy.NEVER, 1000);

    @TempDir
    Path dir;

    private static List<String> names(JournalStore store) {
        return store.dataFiles().stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Sends and consumes messages of a scratch queue until file {@code file} is being written. */
    private static void churnUntil(JournalStore store, int file) {
        long id = store.maxId("scratch") == Long.MIN_VALUE ? 1 : store.maxId("scratch") + 1;
        while (JournalPreparedTest.current(store) < file) {
            await(store.add("scratch", message(id, SIZE)));
            await(store.remove("scratch", id++));
        }
    }

    @Test
    void marksSurviveARestartFromACheckpointAndACrash() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.markDelivered("q", 10));
            await(store.markDelivered("r", 20));
            await(store.markDelivered("gone", 1));
            assertThat(store.checkpoint()).isNotNull();
            await(store.markDelivered("q", 30));                   // after the checkpoint
            await(store.markDelivered("s", Long.MIN_VALUE + 1));
            store.halt();                                          // no closing checkpoint: as after a crash
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).isNotNull();
            assertThat(store.recoveryReport().records()).isEqualTo(2);
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(store.deliveredMark("q")).isEqualTo(30);
            assertThat(store.deliveredMark("r")).isEqualTo(20);
            assertThat(store.deliveredMark("s")).isEqualTo(Long.MIN_VALUE + 1);
            assertThat(store.deliveredMark("none")).isEqualTo(Long.MIN_VALUE);
            await(store.markDelivered("r", 5));                    // lowered, as at a clean stop
            await(store.removeSubscription("gone"));               // forgets the mark of a container
            assertThat(store.deliveredMark("gone")).isEqualTo(Long.MIN_VALUE);
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).as("the closing checkpoint holds the marks").isZero();
            assertThat(store.deliveredMark("q")).isEqualTo(30);
            assertThat(store.deliveredMark("r")).isEqualTo(5);
            assertThat(store.deliveredMark("gone")).isEqualTo(Long.MIN_VALUE);
        }
        JournalTesting.deleteCheckpoints(dir);
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).as("a full replay").isNull();
            assertThat(store.deliveredMark("q")).isEqualTo(30);
            assertThat(store.deliveredMark("r")).isEqualTo(5);
            assertThat(store.deliveredMark("gone")).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void anUnsubscribeAfterTheCheckpointForgetsTheMarkItHolds() throws IOException {
        StoredSubscription sub = new StoredSubscription("c", "s", "t", null, false, false, "$subscription:1");
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.addSubscription(sub));
            await(store.add("$subscription:1", message(1, SIZE)));
            await(store.markDelivered("$subscription:1", 1));
            store.checkpoint();
            await(store.removeSubscription("$subscription:1"));
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).isNotNull();
            assertThat(store.deliveredMark("$subscription:1")).isEqualTo(Long.MIN_VALUE);
            assertThat(store.subscriptions()).isEmpty();
        }
    }

    @Test
    void aLiveMarkKeepsItsFileAndWhySaysSoLiveAndOffline() {
        List<String> live;
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES.withCompactBelowPercent(0))) {
            await(store.markDelivered("orders", 500));             // db-1
            churnUntil(store, 4);
            assertThat(names(store)).as("the mark keeps db-1").contains("db-1.log");
            live = store.describeSpace();
            assertThat(live).contains("db-1.log: delivered mark of 'orders'");
        }
        String why = JournalToolTest.run(dir, 0, "why");
        assertThat(why).contains("db-1.log: delivered mark of 'orders'");
        assertThat(why.lines().filter(l -> l.startsWith("db-"))
                .filter(l -> !l.matches(".*: \\d+ valid records, \\d+ bytes")).toList()).isEqualTo(live);
        assertThat(JournalToolTest.run(dir, 0, "dump")).contains("db-1.log@16 MARK container=orders id=500");
    }

    @Test
    void aNewerMarkLetsTheFileOfTheOlderOneGo() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES.withCompactBelowPercent(0))) {
            await(store.markDelivered("orders", 500));             // db-1
            churnUntil(store, 3);
            await(store.markDelivered("orders", 1000));            // db-3: replaces the one in db-1
            churnUntil(store, 4);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log"));
            assertThat(store.deliveredMark("orders")).isEqualTo(1000);
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.deliveredMark("orders")).isEqualTo(1000);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    /** Marks are tiny: an old file kept only by one is compacted, the mark written again at the head. */
    @Test
    void aFileKeptOnlyByAnOldMarkIsCompacted() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.markDelivered("orders", 500));             // db-1
            await(store.markDelivered("$subscription:7", 42));     // db-1
            churnUntil(store, 5);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(names(store)).doesNotContain("db-1.log");
                assertThat(store.compactor().busy()).isFalse();
            });
            assertThat(store.deliveredMark("orders")).isEqualTo(500);
            assertThat(store.deliveredMark("$subscription:7")).isEqualTo(42);
            store.halt();
        }
        assertThat(JournalToolTest.run(dir, 0, "dump")).contains("MARK container=orders id=500");
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.recoveryReport().checkpoint()).as("a full replay: no checkpoint was taken").isNull();
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(store.deliveredMark("orders")).isEqualTo(500);
            assertThat(store.deliveredMark("$subscription:7")).isEqualTo(42);
            assertThat(store.describeSpace()).noneMatch(l -> l.startsWith("db-1.log"));
        }
    }

    /** A mark rides the writer's group commit: marks written together cost one force per batch, not one each. */
    @Test
    void marksRideTheGroupCommit() {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.markDelivered("warm", 1));
            long forces = store.forceCount();
            long batches = store.batchCount();
            long records = store.recordCount();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                writes.add(store.markDelivered("q" + (i % 4), i));
            }
            writes.forEach(JournalTesting::await);
            assertThat(store.recordCount() - records).isEqualTo(200);
            long batchesNow = store.batchCount() - batches;
            assertThat(store.forceCount() - forces).as("one force per batch of %s", batchesNow)
                    .isLessThanOrEqualTo(batchesNow);
            assertThat(store.deliveredMark("q0")).isEqualTo(200);
            assertThat(store.deliveredMark("q1")).isEqualTo(197);
        }
    }
}
