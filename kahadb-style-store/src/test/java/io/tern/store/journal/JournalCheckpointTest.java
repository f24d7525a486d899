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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: restart replays only what follows one, damaged ones fall back, and files go sooner. */
@Timeout(60)
class JournalCheckpointTest {
    private static final int SIZE = 100;
    /** Checkpoints only when a test asks (and on close). */
    private static final JournalOptions MANUAL = JournalOptions.defaults().withCheckpointInterval(600_000);

    @TempDir
    Path dir;

    private static String names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList().toString();
    }

    @Test
    void aRestartAfterACheckpointReplaysOnlyTheRecordsAfterIt() throws IOException {
        Path checkpoint;
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            for (long id = 1; id <= 10; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            for (long id = 1; id <= 3; id++) {
                await(store.remove("q", id));
            }
            checkpoint = store.checkpoint();
            assertThat(checkpoint).isNotNull();
            assertThat(store.checkpoint()).as("a second one at the same position, kept as the fallback")
                    .isNotNull();
            assertThat(store.checkpoint()).as("nothing changed since").isNull();
            // four records after the checkpoint: three adds and a transaction
            for (long id = 11; id <= 13; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("r", message(1, SIZE))),
                    List.of(new StoreBatch.Remove("q", 4)))));
            store.halt(); // no closing checkpoint: as after a crash
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).isNotNull();
            assertThat(report.records()).as("records replayed after the checkpoint").isEqualTo(4);
            assertThat(report.problems()).isEmpty();
            assertThat(ids(store, "q")).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
            assertThat(ids(store, "r")).containsExactly(1L);
            assertThat(store.count("q")).isEqualTo(9);
            assertThat(store.maxId("q")).isEqualTo(13);
            assertBodies(store, "q", SIZE);
            assertBodies(store, "r", SIZE);
        }
    }

    @Test
    void aCleanCloseTakesACheckpointOnlyWhenSomethingChanged() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            for (long id = 1; id <= 5; id++) {
                await(store.add("q", message(id, SIZE)));
            }
        }
        List<Path> afterFirstClose = CheckpointDescriptor.list(dir);
        assertThat(afterFirstClose).hasSize(1);
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().checkpoint()).isEqualTo(afterFirstClose.get(0).getFileName()
                    .toString());
            assertThat(store.recoveryReport().records()).isZero();
            assertThat(store.recoveryReport().files()).as("the position's file, from the position on").isOne();
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertBodies(store, "q", SIZE);
        }
        assertThat(CheckpointDescriptor.list(dir)).as("nothing changed: no new checkpoint")
                .isEqualTo(afterFirstClose);
    }

    @Test
    void aCorruptCheckpointFallsBackToAFullReplayWithTheSameContent() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            for (long id = 1; id <= 20; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            for (long id = 1; id <= 20; id += 3) {
                await(store.remove("q", id));
            }
        }
        List<Long> expected;
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            expected = ids(store, "q");
            assertThat(store.recoveryReport().checkpoint()).isNotNull();
        }
        Path checkpoint = CheckpointDescriptor.list(dir).get(0);
        flipByte(checkpoint, Files.size(checkpoint) / 2);
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).as("no usable checkpoint").isNull();
            assertThat(report.records()).as("every record replayed").isEqualTo(20 + 7);
            assertThat(report.problems()).singleElement().satisfies(p -> {
                assertThat(p.file()).isEqualTo(checkpoint.toString());
                assertThat(p.what()).contains("CRC32C mismatch");
                assertThat(p.action()).contains("replaying every data file").contains(".unusable");
            });
            assertThat(ids(store, "q")).isEqualTo(expected);
            assertBodies(store, "q", SIZE);
        }
        assertThat(checkpoint.resolveSibling(checkpoint.getFileName() + ".unusable")).exists();
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToTheOlderOne() throws IOException {
        Path older;
        Path newer;
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            LongStream.rangeClosed(1, 5).forEach(id -> await(store.add("q", message(id, SIZE))));
            older = store.checkpoint();
            await(store.remove("q", 1));
            await(store.add("q", message(6, SIZE)));
            newer = store.checkpoint();
            await(store.remove("q", 2));
            store.halt();
        }
        assertThat(CheckpointDescriptor.list(dir)).containsExactly(newer, older);
        flipByte(newer, CheckpointDescriptor.POSITION_OFFSET_OFFSET);
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).isEqualTo(older.getFileName().toString());
            assertThat(report.records()).as("the records after the older checkpoint").isEqualTo(3);
            assertThat(report.problems()).singleElement().satisfies(p -> assertThat(p.action())
                    .contains("trying the older " + older.getFileName()));
            assertThat(ids(store, "q")).containsExactly(3L, 4L, 5L, 6L);
        }
    }

    @Test
    void replayingRecordsTheCheckpointAlreadyReflectsChangesNothing() throws IOException {
        long afterFive;
        Path checkpoint;
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            LongStream.rangeClosed(1, 5).forEach(id -> await(store.add("q", message(id, SIZE))));
            afterFive = store.recordedBytes(1);
            await(store.remove("q", 2));
            await(store.add("q", message(6, SIZE)));
            await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("q", message(7, SIZE))),
                    List.of(new StoreBatch.Remove("q", 3)))));
            checkpoint = store.checkpoint();
            store.halt();
        }
        // The checkpoint reflects all of it, but now claims to be from before the last three records.
        setPosition(checkpoint, new JournalPosition(1, afterFive));
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).isEqualTo(3);
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L, 4L, 5L, 6L, 7L);
            assertBodies(store, "q", SIZE);
            LongStream.of(1, 4, 5, 6, 7).forEach(id -> await(store.remove("q", id)));
            await(store.add("q", message(8, SIZE)));
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(ids(store, "q")).containsExactly(8L);
        }
    }

    @Test
    void aCrashAfterCheckpointsAndMoreWritesRecoversEveryAcknowledgedChange() throws Exception {
        JournalOptions often = JournalOptions.defaults().withCheckpointInterval(5)
                .withMaxFileSize(64 * 1024);
        Set<Long> live = new ConcurrentSkipListSet<>();
        List<Path> seenCheckpoints = new CopyOnWriteArrayList<>();
        try (JournalStore store = JournalStore.open(dir, often)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long base = t * 1_000_000L;
                    senders.add(pool.submit(() -> {
                        for (long i = 1; i <= 600; i++) {
                            long id = base + i;
                            await(store.add("q", message(id, SIZE)));
                            live.add(id);
                            if (i % 3 != 0) {
                                await(store.remove("q", id));
                                live.remove(id);
                            }
                            if (i % 50 == 0) {
                                seenCheckpoints.addAll(store.checkpointFiles());
                            }
                        }
                    }));
                }
                for (Future<?> f : senders) {
                    f.get(50, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.checkpointFiles().isEmpty());
            await(store.add("q", message(9_000_000, SIZE)));
            live.add(9_000_000L);
            store.halt(); // no closing checkpoint; periodic ones may or may not have covered the last writes
        }
        assertThat(seenCheckpoints).as("checkpoints were taken while writing").isNotEmpty();
        try (JournalStore store = JournalStore.open(dir, often)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).isNotNull();
            assertThat(report.records()).as("only what followed the last checkpoint").isLessThan(4 * (600 + 400));
            assertThat(report.problems()).isEmpty();
            assertThat(ids(store, "q")).containsExactlyElementsOf(live);
            assertBodies(store, "q", SIZE);
        }
    }

    @Test
    void aFileBeforeTheCheckpointsWithOnlyConsumedMessagesGoesEvenWhenItsRemovesCancelAddsOfPresentFiles() {
        JournalOptions smallFiles = JournalOptions.defaults().withMaxFileSize(JournalOptions.MIN_FILE_SIZE);
        int envelope = 2000; // two adds fill a 4 KiB file
        try (JournalStore store = JournalStore.open(dir, smallFiles.withCheckpointInterval(600_000))) {
            await(store.add("q", message(1, envelope)));   // db-1: add 1 (stays)
            await(store.add("q", message(2, envelope)));   // db-1: add 2
            await(store.add("q", message(3, envelope)));   // db-2: add 3
            await(store.remove("q", 2));                  // db-2: remove 2, cancels an add of db-1
            await(store.remove("q", 3));                  // db-2: nothing live left in it
            await(store.add("q", message(4, envelope)));   // db-3
            await(store.add("q", message(5, envelope)));   // db-3
            assertThat(store.dataFiles()).extracting(p -> p.getFileName().toString())
                    .as("without checkpoints, db-2 outlives db-1").containsExactly("db-1.log", "db-2.log",
                            "db-3.log");
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, smallFiles.withCheckpointInterval(20))) {
            // a checkpoint (something was replayed), then a second at the same position: both cover db-2
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.dataFiles())
                    .extracting(p -> p.getFileName().toString()).containsExactly("db-1.log", "db-3.log"));
            assertThat(ids(store, "q")).containsExactly(1L, 4L, 5L);
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, smallFiles)) {
            assertThat(ids(store, "q")).as("message 2 must not come back").containsExactly(1L, 4L, 5L);
            assertBodies(store, "q", envelope);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void periodicCheckpointsStopWhenNothingChanges() {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults().withCheckpointInterval(10))) {
            await(store.add("q", message(1, SIZE)));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.checkpointFiles().size() == 2);
            List<Path> settled = store.checkpointFiles();
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> store.checkpointFiles().equals(settled));
            await(store.remove("q", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.checkpointFiles().contains(settled.get(1)));
            assertThat(store.checkpointFiles()).as("at most %s kept: %s", Checkpointer.KEPT,
                    names(store.checkpointFiles())).hasSizeLessThanOrEqualTo(Checkpointer.KEPT);
        }
    }

    @Test
    void durableSubscriptionsAndTheirMessagesSurviveFromACheckpoint() throws IOException {
        StoredSubscription keep = new StoredSubscription("c", "keep", "t", "n > 1", true, false, "$subscription:1");
        StoredSubscription gone = new StoredSubscription(null, "gone", "t", null, false, true, "$subscription:2");
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.addSubscription(keep));
            await(store.addSubscription(gone));
            await(store.add("$subscription:1", message(1, SIZE)));
            await(store.add("$subscription:2", message(1, SIZE)));
            store.checkpoint();
            await(store.removeSubscription("$subscription:2"));
            await(store.add("$subscription:1", message(2, SIZE)));
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).isEqualTo(2);
            assertThat(store.subscriptions()).containsExactly(keep);
            assertThat(ids(store, "$subscription:1")).containsExactly(1L, 2L);
            assertThat(ids(store, "$subscription:2")).isEmpty();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).as("the closing checkpoint holds it all").isZero();
            assertThat(store.subscriptions()).containsExactly(keep);
            assertThat(ids(store, "$subscription:1")).containsExactly(1L, 2L);
        }
    }

    private static byte[] xid(String name) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> xids(JournalStore store) {
        return store.prepared().stream().map(p -> new String(p.xid(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }

    /**
     * Prepared branches are state a checkpoint must carry: the records that made them lie before its position and
     * are not replayed. A restart from it lists them with their content, in prepare order, and completes them.
     */
    @Test
    void aRestartFromACheckpointListsThePreparedBranchesWithTheirContentAndCompletesThem() throws IOException {
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            await(store.add("r", message(5, SIZE)));
            await(store.prepare(xid("a"), new StoreBatch(List.of(new StoreBatch.Add("q", message(1, SIZE)),
                    new StoreBatch.Add("q", message(2, SIZE))), List.of(new StoreBatch.Remove("r", 5)))));
            await(store.prepare(xid("b"), new StoreBatch(List.of(new StoreBatch.Add("q", message(3, SIZE))),
                    List.of())));
            await(store.prepare(xid("c"), new StoreBatch(List.of(new StoreBatch.Add("s", message(1, SIZE))),
                    List.of())));
            await(store.commitPrepared(xid("c")));                 // completed before the checkpoint
            assertThat(store.checkpoint()).isNotNull();
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).isNotNull();
            assertThat(report.records()).as("nothing follows the checkpoint").isZero();
            assertThat(report.problems()).isEmpty();
            assertThat(xids(store)).containsExactly("a", "b");
            StoreBatch a = store.prepared().get(0).batch();
            assertThat(a.adds()).extracting(add -> add.queue() + "/" + add.message().id()).containsExactly("q/1",
                    "q/2");
            assertThat(a.adds()).allSatisfy(add -> assertThat(add.message().envelope())
                    .isEqualTo(message(add.message().id(), SIZE).envelope()));
            assertThat(a.removes()).containsExactly(new StoreBatch.Remove("r", 5));
            assertThat(store.prepared().get(1).batch().adds().get(0).message().envelope())
                    .isEqualTo(message(3, SIZE).envelope());
            assertThat(ids(store, "q")).as("prepared adds are invisible").isEmpty();
            assertThat(store.maxId("q")).as("but count in maxId").isEqualTo(3);
            assertThat(ids(store, "r")).containsExactly(5L);
            assertThat(ids(store, "s")).containsExactly(1L);
            await(store.prepare(xid("d"), new StoreBatch(List.of(new StoreBatch.Add("q", message(4, SIZE))),
                    List.of())));
            assertThat(xids(store)).as("a new branch comes after the recovered ones").containsExactly("a", "b", "d");
            await(store.commitPrepared(xid("a")));
            await(store.rollbackPrepared(xid("b")));
            assertThat(ids(store, "q")).containsExactly(1L, 2L);
            assertThat(ids(store, "r")).isEmpty();
            store.halt();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            RecoveryReport report = store.recoveryReport();
            assertThat(report.checkpoint()).as("the same checkpoint, the completions replayed after it").isNotNull();
            assertThat(report.records()).isEqualTo(3);
            assertThat(report.problems()).isEmpty();
            assertThat(xids(store)).containsExactly("d");
            assertThat(ids(store, "q")).containsExactly(1L, 2L);
            assertBodies(store, "q", SIZE);
            assertThat(ids(store, "r")).isEmpty();
        }
        try (JournalStore store = JournalStore.open(dir, MANUAL)) {
            assertThat(store.recoveryReport().records()).as("the closing checkpoint holds it all").isZero();
            assertThat(xids(store)).containsExactly("d");
            await(store.commitPrepared(xid("d")));
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 4L);
            assertBodies(store, "q", SIZE);
        }
    }

    /**
     * PREPARE, COMMIT_PREPARED, ROLLBACK_PREPARED and MOVE records (and a PREPARE rewritten by compaction) that a
     * checkpoint already reflects, replayed again after it: nothing changes, nothing is reported.
     */
    @Test
    void replayingXaAndMoveRecordsTheCheckpointAlreadyReflectsChangesNothing() throws IOException {
        int small = 60;
        JournalOptions compacting = MANUAL.withMaxFileSize(JournalOptions.MIN_FILE_SIZE);
        JournalPosition before;
        Path checkpoint;
        List<Long> expected;
        try (JournalStore store = JournalStore.open(dir, compacting)) {
            await(store.add("q", message(1, small)));               // stuck in db-1: compaction moves it
            await(store.add("r", message(5, small)));
            int file = JournalPreparedTest.current(store);
            before = new JournalPosition(file, Files.size(dir.resolve(JournalFile.name(file))));
            await(store.prepare(xid("a"), new StoreBatch(List.of(new StoreBatch.Add("q", message(2, small))),
                    List.of(new StoreBatch.Remove("r", 5)))));
            await(store.prepare(xid("b"), new StoreBatch(List.of(new StoreBatch.Add("q", message(3, small))),
                    List.of())));
            await(store.commitPrepared(xid("a")));
            await(store.prepare(xid("c"), new StoreBatch(List.of(new StoreBatch.Add("q", message(4, small))),
                    List.of())));
            await(store.rollbackPrepared(xid("c")));
            long id = 1;
            while (JournalPreparedTest.current(store) < 7) {
                await(store.add("scratch", message(id, small)));
                await(store.remove("scratch", id++));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(store.dataFiles()).doesNotContain(dir.resolve("db-1.log"));
                assertThat(store.compactor().busy()).isFalse();
            });
            expected = ids(store, "q");
            checkpoint = store.checkpoint();
            store.halt();
        }
        assertThat(JournalToolTest.run(dir, 0, "dump")).contains("MOVE queue=q id=1 ")
                .containsPattern("PREPARE xid=" + PreparedBranches.hex(xid("b")) + " sequence=2");
        assertThat(expected).containsExactly(1L, 2L);
        setPosition(checkpoint, before);
        try (JournalStore store = JournalStore.open(dir, compacting)) {
            assertThat(store.recoveryReport().checkpoint()).isNotNull();
            assertThat(store.recoveryReport().records()).isPositive();
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).isEqualTo(expected);
            assertBodies(store, "q", small);
            assertThat(ids(store, "r")).isEmpty();
            assertThat(xids(store)).containsExactly("b");
            assertThat(store.prepared().get(0).batch().adds().get(0).message().envelope())
                    .isEqualTo(message(3, small).envelope());
            await(store.commitPrepared(xid("b")));
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 3L);
        }
        try (JournalStore store = JournalStore.open(dir, compacting)) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 3L);
            assertBodies(store, "q", small);
            assertThat(store.prepared()).isEmpty();
        }
    }

    /** Rewrites the journal position in a checkpoint's header (and the header's CRC). */
    static void setPosition(Path checkpoint, JournalPosition position) throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(CheckpointDescriptor.POSITION_FILE_OFFSET, position.file());
        header.putLong(CheckpointDescriptor.POSITION_OFFSET_OFFSET, position.offset());
        header.putInt(CheckpointDescriptor.HEADER_CRC_OFFSET, CheckpointDescriptor.headerCrc(header));
        Files.write(checkpoint, bytes);
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x5A;
        Files.write(file, bytes);
    }
}
