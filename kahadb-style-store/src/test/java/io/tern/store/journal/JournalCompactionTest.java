package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.assertBodies;
import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction: a few old live records no longer pin old files, across restarts at every point of a compaction,
 * and a message consumed while it is being moved stays consumed.
 */
@Timeout(60)
class JournalCompactionTest {
    private static final int SIZE = 100;
    private static final JournalOptions COMPACTING = JournalOptions.defaults()
            .withMaxFileSize(JournalOptions.MIN_FILE_SIZE).withSync(SyncPolicy.NEVER, 1000);
    private static final JournalOptions NOT_COMPACTING = COMPACTING.withCompactBelowPercent(0);

    @TempDir
    Path dir;

    /** Sends and consumes messages of a scratch queue until file {@code file} is being written. */
    private static void churnUntil(JournalStore store, int file) {
        long id = store.maxId("scratch") == Long.MIN_VALUE ? 1 : store.maxId("scratch") + 1;
        while (JournalPreparedTest.current(store) < file) {
            await(store.add("scratch", message(id, SIZE)));
            await(store.remove("scratch", id++));
        }
    }

    private static List<String> names(JournalStore store) {
        return store.dataFiles().stream().map(p -> p.getFileName().toString()).toList();
    }

    /** How far the consumer lags behind the producer: about two files of messages. */
    private static final int LAG = 50;

    /**
     * Sends messages 2..{@code last} while a consumer {@value #LAG} messages behind consumes them, then consumes
     * the rest. Each file's removes cancel adds in the file before it: message 1, never consumed, pins the chain.
     */
    private static int sendAndConsumeBehind(JournalStore store, long last) {
        int most = 0;
        for (long id = 2; id <= last + LAG; id++) {
            if (id <= last) {
                await(store.add("q", message(id, SIZE)));
            }
            if (id - LAG >= 2) {
                await(store.remove("q", id - LAG));
            }
            most = Math.max(most, store.dataFiles().size());
        }
        return most;
    }

    @Test
    void oneStuckMessageDoesNotPinTheJournal() {
        try (JournalStore store = JournalStore.open(dir, COMPACTING)) {
            // This load writes about 110 files in well under the quiet time; without it, the bound below shows
            // how soon compaction frees them. The quiet time has its own tests (aFileStillBeingConsumed...).
            store.compactor().quietMillis(0);
            await(store.add("q", message(1, SIZE)));                  // db-1, never consumed
            int most = sendAndConsumeBehind(store, 3000);
            // Without compaction db-1 would pin every file (about 110 here; see the next test). Compaction runs on
            // its own thread, so how far it lags depends on the machine's load: about 8 files on a quiet machine, 11
            // seen on a loaded one; bounded either way, and far below what the load would pin.
            assertThat(most).as("most files on disk at once").isLessThanOrEqualTo(20);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(store.dataFiles()).hasSizeLessThanOrEqualTo(4);
                assertThat(store.usedBytes()).isLessThanOrEqualTo(4 * JournalOptions.MIN_FILE_SIZE);
            });
            assertThat(names(store)).doesNotContain("db-1.log");
            assertThat(store.read("q", 1)).hasValueSatisfying(m ->
                    assertThat(m.envelope()).isEqualTo(message(1, SIZE).envelope()));
        }
        try (JournalStore store = JournalStore.open(dir, COMPACTING)) {
            assertThat(ids(store, "q")).containsExactly(1L);
            assertBodies(store, "q", SIZE);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    /**
     * Consumes {@code q}'s messages in order, one at a time. After each, a write elsewhere: once it is written, the
     * writer has looked for a file to compact after the remove (it looks after every batch, in order).
     *
     * @return the id consumed when the compactor was seen at work, or -1 if it never was
     */
    private static long drainInOrderWatchingTheCompactor(JournalStore store, long last) {
        long other = 1;
        for (long id = 1; id <= last; id++) {
            await(store.remove("q", id));
            await(store.add("other", message(other, 10)));
            await(store.remove("other", other++));
            if (store.compactor().busy() || store.compactor().moved() > 0) {
                return id;
            }
        }
        return -1;
    }

    /**
     * Sets the quiet time, fills {@code q} with 300 messages (about ten files) and drains it in order, as
     * {@link #drainInOrderWatchingTheCompactor} does.
     */
    private static long fillAndDrain(JournalStore store, long quietMillis) {
        store.compactor().quietMillis(quietMillis);
        for (long id = 1; id <= 300; id++) {
            await(store.add("q", message(id, SIZE)));
        }
        assertThat(store.dataFiles()).hasSizeGreaterThan(5);
        return drainInOrderWatchingTheCompactor(store, 300);
    }

    @Test
    void aFileStillBeingConsumedIsLeftAlone() {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(fillAndDrain(store, 60_000)).as("id consumed when compaction began").isEqualTo(-1);
            assertThat(store.compactor().moved()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).as("drained files are deleted all the same").doesNotContain("db-1.log"));
        }
    }

    /** The same drain without the quiet time: each file's last tenth is moved moments before it is consumed. */
    @Test
    void withoutTheQuietTimeTheSameDrainMovesMessages() {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(fillAndDrain(store, 0)).as("id consumed when compaction began").isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.compactor().busy());
            assertThat(store.compactor().moved()).isPositive();
        }
    }

    /**
     * A file that stays below the threshold is compacted once the quiet time has passed, even when nothing is
     * written after it any more (no checkpoint either: MANUAL takes none for ten minutes).
     */
    @Test
    void aQuietFileIsCompactedWhenTheJournalIsIdle() {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            long start = System.nanoTime();
            await(store.add("q", message(1, SIZE)));                  // db-1, never consumed
            churnUntil(store, 4);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(store.compactor().moved()).isEqualTo(1);
                assertThat(names(store)).doesNotContain("db-1.log");
            });
            // db-1 fell below the threshold after start, and stayed there: compacted no sooner than the quiet time
            assertThat(System.nanoTime() - start).as("nanoseconds until compacted")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(Compactor.QUIET_MILLIS));
            assertThat(ids(store, "q")).containsExactly(1L);
        }
    }

    @Test
    void withoutCompactionTheSameLoadPinsEveryFile() {
        try (JournalStore store = JournalStore.open(dir, NOT_COMPACTING)) {
            await(store.add("q", message(1, SIZE)));
            sendAndConsumeBehind(store, 500);
            assertThat(store.dataFiles()).hasSizeGreaterThan(15).contains(dir.resolve("db-1.log"));
            assertThat(ids(store, "q")).containsExactly(1L);
        }
    }

    /**
     * A crash after the MOVE is written but before the old files are deleted: recovery sees the message twice,
     * keeps the moved copy without a warning, and deletes the old files again.
     */
    @Test
    void aRestartBetweenTheMoveAndTheDeleteKeepsOneCopyQuietly() throws IOException {
        Path before = dir.resolve("before");
        Path live = dir.resolve("live");
        try (JournalStore store = JournalStore.open(live, NOT_COMPACTING)) {
            await(store.add("q", message(1, SIZE)));
            churnUntil(store, 6);
            assertThat(names(store)).contains("db-1.log");
        }
        copy(live, before);
        try (JournalStore store = JournalStore.open(live, COMPACTING)) {
            await(store.add("trigger", message(1, 10)));              // a batch: db-1 is compacted after it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log"));
        }
        int restored = restoreMissing(before, live);
        assertThat(restored).as("files compaction let go").isGreaterThanOrEqualTo(1);
        assertThat(JournalToolTest.run(live, 0, "dump")).contains("ADD queue=q id=1 ").contains("MOVE queue=q id=1 ");
        try (JournalStore store = JournalStore.open(live, COMPACTING)) {
            assertThat(store.recoveryReport().problems()).as("no 'added again'").isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L);
            assertBodies(store, "q", SIZE);
            assertThat(names(store)).as("the old file goes again at once").doesNotContain("db-1.log");
        }
    }

    @Test
    void aMessageConsumedRightAfterItsMoveWasSubmittedStaysConsumed() throws IOException {
        consumeDuringCompaction(true);
    }

    @Test
    void aMessageConsumedBeforeItsMoveWasSubmittedIsNotMoved() throws IOException {
        consumeDuringCompaction(false);
    }

    private void consumeDuringCompaction(boolean afterSubmit) throws IOException {
        Path before = dir.resolve("before");
        Path live = dir.resolve("live");
        try (JournalStore store = JournalStore.open(live, NOT_COMPACTING)) {
            await(store.add("q", message(1, SIZE)));
            churnUntil(store, 6);
        }
        copy(live, before);
        try (JournalStore store = JournalStore.open(live, COMPACTING)) {
            store.compactor().listener(new Compactor.Listener() {
                @Override
                public void read(int file) {
                    if (!afterSubmit) {
                        await(store.remove("q", 1));
                    }
                }

                @Override
                public void submitted(int file) {
                    if (afterSubmit) {
                        await(store.remove("q", 1));
                    }
                }
            });
            await(store.add("trigger", message(1, 10)));              // a batch: db-1 is compacted after it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(names(store)).doesNotContain("db-1.log");
                assertThat(store.compactor().busy()).isFalse();
            });
            assertThat(ids(store, "q")).isEmpty();
        }
        String dump = JournalToolTest.run(live, 0, "dump");
        if (afterSubmit) {
            assertThat(dump).containsSubsequence("MOVE queue=q id=1 ", "REMOVE queue=q id=1");
        } else {
            assertThat(dump).doesNotContain("MOVE queue=q id=1 ");
        }
        try (JournalStore store = JournalStore.open(live, COMPACTING)) {
            assertThat(ids(store, "q")).isEmpty();
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
        // Even with the old files back (as after a crash before they were deleted; nothing written since then
        // was deleted) the message stays consumed.
        restoreMissing(before, live);
        try (JournalStore store = JournalStore.open(live, COMPACTING)) {
            assertThat(ids(store, "q")).isEmpty();
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void subscriptionsAndPreparedBranchesMoveInPrepareOrder() {
        StoredSubscription sub = new StoredSubscription("client", "audit", "events", "kind = 'x'", false, false,
                "$subscription:audit");
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        try (JournalStore store = JournalStore.open(dir, COMPACTING)) {
            await(store.addSubscription(sub));                                    // db-1
            await(store.prepare(first, new StoreBatch(List.of(new StoreBatch.Add("q", message(1, 60))),
                    List.of())));                                                 // db-1
            churnUntil(store, 3);
            await(store.prepare(second, new StoreBatch(List.of(new StoreBatch.Add("q", message(2, 60))),
                    List.of())));                                                 // db-3
            churnUntil(store, 7);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log", "db-3.log"));
            assertThat(store.subscriptions()).containsExactly(sub);
            assertThat(store.prepared()).extracting(p -> new String(p.xid(), StandardCharsets.UTF_8))
                    .containsExactly("first", "second");
        }
        try (JournalStore store = JournalStore.open(dir, COMPACTING)) {
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(store.subscriptions()).containsExactly(sub);
            assertThat(store.prepared()).extracting(p -> new String(p.xid(), StandardCharsets.UTF_8))
                    .as("prepare order survives the move of the older branch past the newer")
                    .containsExactly("first", "second");
            assertThat(store.prepared().get(0).batch().adds().get(0).message().envelope())
                    .isEqualTo(message(1, 60).envelope());
            await(store.commitPrepared(first));
            assertThat(ids(store, "q")).containsExactly(1L);
            assertBodies(store, "q", 60);
        }
        try (JournalStore store = JournalStore.open(dir, COMPACTING)) {
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(store.prepared()).hasSize(1);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    /** Compaction with checkpoints only when a test asks (and on a clean close). */
    private static final JournalOptions MANUAL = COMPACTING.withCheckpointInterval(600_000);

    /**
     * The checkpoint says the stuck message is in db-1; compaction moves it and db-1 goes; a crash. The restart
     * loads the checkpoint and replays the MOVE: the message is there once, read from where it was moved.
     */
    @Test
    void aMovedMessageIsThereExactlyOnceAfterARestartFromACheckpointTakenBeforeTheMove() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL.withCompactBelowPercent(0))) {
            await(store.add("q", message(1, SIZE)));                  // db-1, never consumed
            churnUntil(store, 6);
            assertThat(store.checkpoint()).isNotNull();               // holds message 1 in db-1
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.add("trigger", message(1, 10)));              // a batch: db-1 is compacted after it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(names(store)).doesNotContain("db-1.log");
                assertThat(store.compactor().busy()).isFalse();
            });
            assertThat(ids(store, "q")).containsExactly(1L);
            store.halt();                                             // no closing checkpoint: as after a crash
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).as("the checkpoint from before the move").isNotNull();
            assertThat(report.problems()).isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(store.count("q")).isOne();
            assertBodies(store, "q", SIZE);
            assertThat(store.checkpoint()).as("one holding the moved copy").isNotNull();
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).isZero();
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(store.count("q")).isOne();
            assertBodies(store, "q", SIZE);
        }
        JournalTesting.deleteCheckpoints(dir);
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).isNull();
            assertThat(store.recoveryReport().problems()).as("the full replay too: no 'added again'").isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L);
            assertBodies(store, "q", SIZE);
        }
    }

    /**
     * A checkpoint taken while a MOVE is submitted but perhaps not written: its barrier comes after the MOVE, so it
     * holds the moved copy, and a restart from it (after a crash) has the message once.
     */
    @Test
    void aCheckpointTakenWhileAMoveIsInFlightHoldsTheMovedCopy() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL.withCompactBelowPercent(0))) {
            await(store.add("q", message(1, SIZE)));
            churnUntil(store, 6);
        }
        Path[] during = new Path[1];
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            store.compactor().listener(new Compactor.Listener() {
                @Override
                public void submitted(int file) {
                    try {
                        during[0] = store.checkpoint();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            await(store.add("trigger", message(1, 10)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(names(store)).doesNotContain("db-1.log");
                assertThat(store.compactor().busy()).isFalse();
            });
            store.halt();
        }
        assertThat(during[0]).isNotNull();
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).isEqualTo(during[0].getFileName().toString());
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(store.count("q")).isOne();
            assertBodies(store, "q", SIZE);
        }
    }

    @Test
    void theThresholdComesFromTheStoreOptionsAndABadOneIsNamed() {
        assertThat(JournalOptions.from(java.util.Map.of()).compactBelowPercent()).isEqualTo(10);
        assertThat(JournalOptions.from(java.util.Map.of(JournalOptions.COMPACT_BELOW_PERCENT_KEY, "25"))
                .compactBelowPercent()).isEqualTo(25);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalOptions.from(java.util.Map.of(
                        JournalOptions.COMPACT_BELOW_PERCENT_KEY, "51")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal.compact-below-percent").hasMessageContaining("51");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> JournalFile.numberOf(p) >= 0).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** Copies back the data files of {@code from} that {@code to} no longer has; returns how many. */
    private static int restoreMissing(Path from, Path to) throws IOException {
        int restored = 0;
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> JournalFile.numberOf(p) >= 0).toList()) {
                if (!Files.exists(to.resolve(f.getFileName()))) {
                    Files.copy(f, to.resolve(f.getFileName()));
                    restored++;
                }
            }
        }
        return restored;
    }
}
