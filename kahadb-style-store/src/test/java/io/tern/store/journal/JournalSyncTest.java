package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on real files, and the three sync policies. */
@Timeout(30)
class JournalSyncTest {
    @TempDir
    Path dir;

    @Test
    void concurrentSynchronousAddsShareForces() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long base = t * 1000L;
                    senders.add(pool.submit(() -> {
                        for (long i = 0; i < perThread; i++) {
                            await(store.add("q", message(base + i, 100))); // a synchronous sender
                        }
                    }));
                }
                for (Future<?> f : senders) {
                    f.get(20, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            int adds = threads * perThread;
            assertThat(ids(store, "q")).hasSize(adds);
            assertThat(store.recordCount()).isEqualTo(adds);
            assertThat(store.forceCount()).as("policy always: one force per batch").isEqualTo(store.batchCount());
            assertThat(store.forceCount()).as("forces for %d adds from %d threads", adds, threads)
                    .isLessThan(adds / 2);
        }
    }

    @Test
    void policyNeverCompletesWithoutForcingAndStillSurvivesAClose() {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults().withSync(SyncPolicy.NEVER, 1))) {
            for (long id = 1; id <= 50; id++) {
                await(store.add("q", message(id, 100)));
            }
            assertThat(store.forceCount()).isZero();
        }
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).hasSize(50);
        }
    }

    @Test
    void policyPeriodicCompletesAfterTheWriteAndForcesWithinTheInterval() {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults()
                .withSync(SyncPolicy.PERIODIC, 100))) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (long id = 1; id <= 20; id++) {
                writes.add(store.add("q", message(id, 100)));
            }
            writes.forEach(JournalTesting::await);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.forceCount() >= 1);
            assertThat(store.forceCount()).isLessThanOrEqualTo(store.batchCount());
        }
    }

    @Test
    void policyPeriodicDoesNotMakeWritesWaitForTheForce() {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults()
                .withSync(SyncPolicy.PERIODIC, 600_000))) {
            await(store.add("q", message(1, 100)));
            await(store.add("q", message(2, 100)));
            assertThat(store.forceCount()).isZero();
        }
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L);
        }
    }

    @Test
    void anAcknowledgedRemoveIsWrittenWithoutAForceAndRidesTheNextOne() {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            await(store.add("q", message(1, 100)));
            await(store.add("q", message(2, 100)));
            long forces = store.forceCount();
            await(store.removeAcknowledged("q", 1));
            assertThat(store.forceCount()).as("no force of its own").isEqualTo(forces);
            assertThat(ids(store, "q")).containsExactly(2L);
            await(store.add("q", message(3, 100)));
            assertThat(store.forceCount()).as("the next add forces, the remove with it").isEqualTo(forces + 1);
            await(store.remove("q", 2));
            assertThat(store.forceCount()).as("a remove a client waits for is forced").isEqualTo(forces + 2);
        }
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).containsExactly(3L);
        }
    }

    @Test
    void anAddRunsItsWrittenActionBeforeItsFutureCompletesAndARemoveAfterItIsOrderedAfterIt() throws Exception {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            CompletableFuture<Void> removed = new CompletableFuture<>();
            CompletableFuture<Void> added = store.add("q", message(1, 100),
                    () -> store.removeAcknowledged("q", 1).whenComplete((v, e) -> {
                        if (e == null) {
                            removed.complete(null);
                        } else {
                            removed.completeExceptionally(e);
                        }
                    }));
            await(added);
            await(removed);
            assertThat(ids(store, "q")).isEmpty();
        }
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).as("the remove replays after its add").isEmpty();
        }
    }
}
