package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.store.StoreBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Prepared XA branches in the journal: which files they keep, and what a restart or a crash leaves of them. */
@Timeout(30)
class JournalPreparedTest {
    /** With 4 KiB files, two of these adds fill a file. */
    private static final int ENVELOPE = 2000;
    private static final JournalOptions SMALL_FILES = JournalOptions.defaults()
            .withMaxFileSize(JournalOptions.MIN_FILE_SIZE).withCompactBelowPercent(0);

    @TempDir
    Path dir;

    private static byte[] xid(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    private static StoreBatch adds(String queue, long... ids) {
        return new StoreBatch(java.util.Arrays.stream(ids).mapToObj(id -> new StoreBatch.Add(queue,
                message(id, ENVELOPE))).toList(), List.of());
    }

    /** Adds and removes messages of a scratch queue until the journal has rolled over {@code files} times. */
    private static void rollOver(JournalStore store, int files) {
        long id = store.maxId("scratch") == Long.MIN_VALUE ? 1 : store.maxId("scratch") + 1;
        int target = current(store) + files;
        while (current(store) < target) {
            await(store.add("scratch", message(id, ENVELOPE)));
            await(store.remove("scratch", id++));
        }
    }

    /** The number of the file being written. */
    static int current(JournalStore store) {
        List<Path> files = store.dataFiles();
        return files.isEmpty() ? 0 : JournalFile.numberOf(files.get(files.size() - 1));
    }

    private List<String> names(JournalStore store) {
        return store.dataFiles().stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void aFileHoldingALivePrepareIsKeptUntilTheBranchCompletesThenItsAddsKeepIt() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.prepare(xid("a"), adds("q", 1)));            // db-1: PREPARE
            rollOver(store, 3);
            assertThat(names(store)).as("the live PREPARE keeps db-1").contains("db-1.log");
            // rollOver left room in the current file: the COMMIT and a live message share it, so that file stays
            await(store.commitPrepared(xid("a")));
            await(store.add("keep", message(1, 100)));
            rollOver(store, 2);
            assertThat(names(store)).as("the committed add keeps db-1").contains("db-1.log");
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(store.read("q", 1)).hasValueSatisfying(m ->
                    assertThat(m.envelope()).isEqualTo(message(1, ENVELOPE).envelope()));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.prepared()).isEmpty();
            assertThat(ids(store, "q")).containsExactly(1L);
            await(store.remove("q", 1));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log"));
        }
        String dump = JournalToolTest.run(dir, 0, "dump");
        assertThat(dump).contains("COMMIT_PREPARED xid=" + PreparedBranches.hex(xid("a"))).doesNotContain("PREPARE xid");
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).isEmpty();
            assertThat(ids(store, "keep")).containsExactly(1L);
            assertThat(store.prepared()).isEmpty();
            assertThat(store.recoveryReport().problems()).as("a commit whose PREPARE is gone is ignored quietly")
                    .isEmpty();
        }
    }

    @Test
    void aRolledBackBranchLetsItsFileGoAndNeverComesBack() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.prepare(xid("b"), adds("q", 7)));            // db-1: PREPARE
            rollOver(store, 2);
            assertThat(names(store)).contains("db-1.log");
            await(store.rollbackPrepared(xid("b")));
            rollOver(store, 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log"));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.prepared()).isEmpty();
            assertThat(ids(store, "q")).isEmpty();
            assertThat(store.maxId("q")).isEqualTo(Long.MIN_VALUE);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    /**
     * A committed branch's removes are written in its PREPARE; its COMMIT says they apply. Both files must outlive
     * the adds they cancel, or a restart would replay those adds without the removes.
     */
    @Test
    void theRemovesOfACommittedBranchStayAppliedWhileTheirAddsAreOnDisk() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.add("q", message(1, ENVELOPE)));               // db-1: add 1
            await(store.add("q", message(2, ENVELOPE)));               // db-1: add 2, keeps db-1 live
            await(store.prepare(xid("c"), new StoreBatch(List.of(),
                    List.of(new StoreBatch.Remove("q", 1)))));           // db-2: PREPARE removing 1
            rollOver(store, 2);
            await(store.commitPrepared(xid("c")));
            rollOver(store, 2);
            assertThat(names(store)).as("the PREPARE holds the removes: it outlives db-1").contains("db-1.log",
                    "db-2.log");
            assertThat(ids(store, "q")).containsExactly(2L);
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).as("message 1 must not come back").containsExactly(2L);
            await(store.remove("q", 2));
            rollOver(store, 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(names(store)).doesNotContain("db-1.log", "db-2.log"));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).isEmpty();
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void aPreparedBranchSurvivesACrashWithItsEnvelopesAndOrder() throws IOException {
        Path copy = dir.resolve("after-crash");
        try (JournalStore store = JournalStore.open(dir.resolve("live"), SMALL_FILES)) {
            await(store.prepare(xid("second"), adds("q", 2, 3)));
            await(store.prepare(xid("first"), new StoreBatch(List.of(new StoreBatch.Add("r", message(9,
                    ENVELOPE))), List.of(new StoreBatch.Remove("q", 1)))));
            await(store.prepare(xid("third"), adds("q", 4)));
            await(store.commitPrepared(xid("third")));
            // Policy always: what the futures acknowledged is on disk. Copying the files now, without a close, is
            // what a crash leaves behind.
            Files.createDirectories(copy);
            try (Stream<Path> files = Files.list(dir.resolve("live"))) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        try (JournalStore store = JournalStore.open(copy, SMALL_FILES)) {
            assertThat(store.prepared()).extracting(p -> new String(p.xid(), StandardCharsets.UTF_8))
                    .containsExactly("second", "first");
            assertThat(store.prepared().get(0).batch().adds()).extracting(a -> a.message().id())
                    .containsExactly(2L, 3L);
            assertThat(store.prepared().get(0).batch().adds().get(1).message().envelope())
                    .isEqualTo(message(3, ENVELOPE).envelope());
            assertThat(store.prepared().get(1).batch().removes()).containsExactly(new StoreBatch.Remove("q", 1));
            assertThat(ids(store, "q")).containsExactly(4L);
            assertThat(store.count("q")).isEqualTo(1);
            assertThat(store.maxId("r")).isEqualTo(9);
            await(store.prepare(xid("fourth"), adds("s", 1)));
            assertThat(store.prepared()).extracting(p -> new String(p.xid(), StandardCharsets.UTF_8))
                    .as("a branch prepared after the restart comes last").containsExactly("second", "first", "fourth");
        }
    }

    @Test
    void anAddMayNotTakeAnIdAPreparedBranchClaims() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.prepare(xid("d"), adds("q", 5)));
            assertThat(store.add("q", message(5, 10))).isCompletedExceptionally();
            assertThat(store.commit(new StoreBatch(List.of(new StoreBatch.Add("q", message(5, 10))), List.of())))
                    .isCompletedExceptionally();
            await(store.commitPrepared(xid("d")));
            assertThat(ids(store, "q")).containsExactly(5L);
        }
    }
}
