package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class JournalToolTest {
    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = JournalTool.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    /** Runs {@code command} on {@code dir}; returns what it printed. */
    static String run(Path dir, int expectedExit, String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = JournalTool.run(new String[] {command, dir.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void dumpPrintsEveryRecordAndVerifyFindsAFlippedByteWithoutChangingTheFile() throws Exception {
        long second;
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            await(store.add("orders", message(1, 30)));
            second = store.recordedBytes(1);
            await(store.add("orders", message(2, 30)));
            await(store.remove("orders", 1));
        }
        String dump = run(0, "dump", dir.toString());
        assertThat(dump).contains("ADD queue=orders id=1").contains("ADD queue=orders id=2")
                .contains("REMOVE queue=orders id=1").contains("3 valid records").endsWith("ok\n");
        try (FileChannel ch = FileChannel.open(dir.resolve("db-1.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), second + RecordDescriptor.HEADER_LENGTH + 3);
        }
        byte[] before = Files.readAllBytes(dir.resolve("db-1.log"));
        String verify = run(1, "verify", dir.toString());
        assertThat(verify).contains("db-1.log at offset " + second).contains("CRC32C mismatch")
                .contains("2 valid records").contains("1 problem(s)");
        assertThat(Files.readAllBytes(dir.resolve("db-1.log"))).isEqualTo(before);
    }

    @Test
    void whySaysWhatKeepsEachFileOnDisk() throws Exception {
        // Compaction off: it would move message 1 and let db-1 go.
        try (JournalStore store = JournalStore.open(dir, new JournalOptions(4096, SyncPolicy.NEVER, 1000, 0))) {
            for (long id = 1; id <= 30; id++) {
                await(store.add("orders", message(id, 300)));
            }
            for (long id = 2; id <= 30; id++) {
                await(store.remove("orders", id));
            }
        }
        String why = run(0, "why", dir.toString());
        assertThat(why).contains("db-1.log: 1 live message of 'orders' (ids 1)");
        assertThat(why).containsPattern("db-\\d+\\.log: .*its removes cancel messages added in db-1\\.log");
        assertThat(why).contains("it is the file being written").endsWith("ok\n");
    }

    /**
     * The running store's space report and {@code why} on the same directory, once the store is closed, are the
     * same lines: one piece of code describes both, from the same state.
     */
    @Test
    void theLiveSpaceReportSaysWhatTheToolSaysAfterAClose() {
        StoredSubscription sub = new StoredSubscription("client", "audit", "events", null, false, false,
                "$subscription:audit");
        byte[] xid = "branch-1".getBytes(StandardCharsets.UTF_8);
        List<String> live;
        try (JournalStore store = JournalStore.open(dir, new JournalOptions(4096, SyncPolicy.NEVER, 1000, 0))) {
            for (long id = 1; id <= 30; id++) {
                await(store.add("orders", message(id, 300)));
            }
            for (long id = 2; id <= 30; id++) {
                await(store.remove("orders", id));            // db-1 is pinned by orders 1
            }
            await(store.addSubscription(sub));
            await(store.add("$subscription:audit", message(1, 300)));
            await(store.add("$subscription:audit", message(2, 300)));
            await(store.add("invoices", message(1, 300)));
            await(store.add("invoices", message(2, 300)));
            await(store.prepare(xid, new StoreBatch(List.of(new StoreBatch.Add("invoices", message(3, 300))),
                    List.of(new StoreBatch.Remove("orders", 1)))));
            live = store.describeSpace();
        }
        String why = run(0, "why", dir.toString());
        List<String> offline = why.lines().filter(l -> l.startsWith("db-"))
                .filter(l -> !l.matches(".*: \\d+ valid records, \\d+ bytes")).toList();
        assertThat(live).isEqualTo(offline);
        assertThat(String.join("\n", live)).contains("db-1.log: 1 live message of 'orders' (ids 1)")
                .contains("durable subscription $subscription:audit")
                .contains("2 live messages of '$subscription:audit' (ids 1..2)")
                .contains("prepared branch " + PreparedBranches.hex(xid))
                .containsPattern("its removes cancel messages added in db-1\\.log")
                .contains("it is the file being written");
        String dump = run(0, "dump", dir.toString());
        assertThat(dump).contains("PREPARE xid=" + PreparedBranches.hex(xid) + " sequence=1 adds=1 removes=1")
                .contains("ADD queue=invoices id=3 envelope=300 bytes (in a PREPARE record)")
                .contains("REMOVE queue=orders id=1 (in a PREPARE record)");
    }

    @Test
    void badUsageSaysHow() {
        assertThat(run(2, "fix", dir.toString())).contains("usage");
    }

    @Test
    void verifyAndWhyReadTheCheckpointsAndADamagedOneIsAProblem() throws Exception {
        JournalOptions manual = JournalOptions.defaults().withCheckpointInterval(600_000);
        Path newest;
        try (JournalStore store = JournalStore.open(dir, manual)) {
            for (long id = 1; id <= 3; id++) {
                await(store.add("orders", message(id, 30)));
            }
            store.checkpoint();
            await(store.remove("orders", 2));
            newest = store.checkpoint();
            await(store.remove("orders", 3));
            store.halt();
        }
        String verify = run(0, "verify", dir.toString());
        assertThat(verify).contains(newest.getFileName() + ": the index as of journal position db-1.log@")
                .contains("2 messages in 1 destinations");
        String why = run(0, "why", dir.toString());
        assertThat(why).contains(newest.getFileName() + ": a start loads the index as of db-1.log@")
                .contains("db-1.log: 1 live message of 'orders' (ids 1)");

        JournalCheckpointTest.flipByte(newest, Files.size(newest) - 1);
        String damaged = run(1, "verify", dir.toString());
        assertThat(damaged).contains(newest + " at offset 0: unusable checkpoint").contains("CRC32C mismatch")
                .contains("1 problem(s)");
        assertThat(run(1, "why", dir.toString())).as("the older checkpoint, then the records after it")
                .contains("db-1.log: 1 live message of 'orders' (ids 1)");
    }

    @Test
    void whySaysWhenTheKeptCheckpointsCoverAFileWhoseRemovesCancelAddsOfAnOlderOne() {
        JournalPosition at = new JournalPosition(3, 16);
        List<Checkpointer.Kept> kept = List.of(new Checkpointer.Kept(dir.resolve("checkpoint-1.ckpt"), 1, at),
                new Checkpointer.Kept(dir.resolve("checkpoint-2.ckpt"), 2, at));
        // the state a start from those checkpoints builds: db-1 holds q 1 (live), db-2's removes cancel q 2 of db-1
        MessageIndex index = new MessageIndex();
        index.put("q", 1, new Location(1, 40, 10));
        index.put("q", 4, new Location(3, 40, 10));
        FileReferences references = new FileReferences();
        references.added(1, 40);
        references.added(3, 40);
        references.guard(2, 1);
        int[] floors = Checkpointer.floors(kept);
        java.util.Arrays.sort(floors);
        assertThat(FileUsage.start(kept))
                .isEqualTo("checkpoint-2.ckpt: a start loads the index as of db-3.log@16 and replays only what follows");
        assertThat(FileUsage.describe(List.of(1, 2, 3), 3, index, new SubscriptionIndex(), new PreparedBranches(),
                new MarkIndex(), references, floors)).containsExactly(
                "db-1.log: 1 live message of 'q' (ids 1)",
                "db-2.log: nothing (its removes cancel messages added in db-1.log, but the kept checkpoints come "
                        + "after all of it); the next collection deletes it",
                "db-3.log: 1 live message of 'q' (ids 4); it is the file being written");
        assertThat(FileUsage.describe(List.of(1, 2, 3), 3, index, new SubscriptionIndex(), new PreparedBranches(),
                new MarkIndex(), references, new int[] {0})).as("no checkpoint: a full replay needs db-2")
                .element(1).asString().startsWith("db-2.log: its removes cancel messages added in db-1.log (still on "
                        + "disk; this file goes after it");
    }
}
