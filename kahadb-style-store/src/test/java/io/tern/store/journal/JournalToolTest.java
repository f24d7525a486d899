package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void dumpPrintsEveryRecordAndVerifyFindsAFlippedByteWithoutChangingTheFile() throws Exception {
        long second;
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            await(store.add("orders", message(1, 30)));
            second = Files.size(dir.resolve("db-1.log"));
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
        try (JournalStore store = JournalStore.open(dir, new JournalOptions(4096, SyncPolicy.NEVER, 1000))) {
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
        FileUsage usage = new FileUsage();
        CheckpointReader.Visitor seed = usage.checkpoint("checkpoint-2.ckpt", at, List.of(
                new Checkpointer.Kept(dir.resolve("checkpoint-1.ckpt"), 1, at),
                new Checkpointer.Kept(dir.resolve("checkpoint-2.ckpt"), 2, at)));
        seed.message("q", 1, new Location(1, 40, 10));
        usage.file("db-1.log");
        usage.visitor(1, 16).add("q", 1, 0, 10);
        usage.visitor(1, 60).add("q", 2, 0, 10);
        usage.file("db-2.log");
        usage.visitor(2, 16).add("q", 3, 0, 10);
        usage.visitor(2, 60).remove("q", 2);
        usage.visitor(2, 90).remove("q", 3);
        usage.file("db-3.log");
        usage.visitor(3, 16).add("q", 4, 0, 10);
        assertThat(usage.report()).containsExactly(
                "checkpoint-2.ckpt: a start loads the index as of db-3.log@16 and replays only what follows",
                "db-1.log: 1 live message of 'q' (ids 1)",
                "db-2.log: nothing (its removes cancel messages added in db-1.log, but the kept checkpoints come "
                        + "after all of it); the next collection deletes it",
                "db-3.log: 1 live message of 'q' (ids 4); it is the file being written");
    }
}
