package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.assertBodies;
import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.deleteCheckpoints;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.store.StoreBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Restart, torn tails, garbled records and foreign versions. */
@Timeout(60)
class JournalRecoveryTest {
    private static final int SIZE = 40;

    @TempDir
    Path dir;

    private static JournalStore open(Path dir) {
        return JournalStore.open(dir, JournalOptions.defaults());
    }

    @Test
    void addsRemovesAndTransactionsSurviveARestart() {
        try (JournalStore store = open(dir)) {
            for (long id = 1; id <= 5; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            await(store.remove("q", 2));
            await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("r", message(10, SIZE)),
                    new StoreBatch.Add("q", message(6, SIZE))), List.of(new StoreBatch.Remove("q", 4)))));
        }
        deleteCheckpoints(dir); // replay every record
        try (JournalStore store = open(dir)) {
            assertThat(store.queueNames()).containsExactly("q", "r");
            assertThat(ids(store, "q")).containsExactly(1L, 3L, 5L, 6L);
            assertThat(ids(store, "r")).containsExactly(10L);
            assertBodies(store, "q", SIZE);
            assertBodies(store, "r", SIZE);
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(store.recoveryReport().records()).isEqualTo(7);
            // Writing goes on after the recovered records.
            await(store.remove("q", 1));
            await(store.add("q", message(7, SIZE)));
        }
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(3L, 5L, 6L, 7L);
            assertBodies(store, "q", SIZE);
        }
    }

    @Test
    void aTornLastRecordIsCutAtEveryByteAndEverythingBeforeItKept() throws IOException {
        Path source = dir.resolve("source");
        long lastRecordStart;
        try (JournalStore store = open(source)) {
            for (long id = 1; id <= 3; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            lastRecordStart = store.recordedBytes(1);
            // The last record is a transaction: torn, none of it may appear.
            // Small bodies: the test reopens the store once per byte of this record.
            await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("q", message(4, 0)),
                    new StoreBatch.Add("r", message(1, 0))), List.of(new StoreBatch.Remove("q", 1)))));
        }
        JournalOptions noForce = JournalOptions.defaults().withSync(SyncPolicy.NEVER, 1);
        byte[] full = Files.readAllBytes(source.resolve("db-1.log"));
        assertThat(full.length).isGreaterThan((int) lastRecordStart + RecordDescriptor.HEADER_LENGTH);
        for (int cut = (int) lastRecordStart; cut < full.length; cut++) {
            Path copy = dir.resolve("cut-" + cut);
            Files.createDirectories(copy);
            Files.write(copy.resolve("db-1.log"), java.util.Arrays.copyOf(full, cut));
            try (JournalStore store = JournalStore.open(copy, noForce)) {
                assertThat(ids(store, "q")).as("cut at %d", cut).containsExactly(1L, 2L, 3L);
                assertThat(store.queueNames()).as("cut at %d", cut).containsExactly("q");
                assertBodies(store, "q", SIZE);
                if (cut > lastRecordStart) {
                    assertThat(store.recoveryReport().problems()).as("cut at %d", cut).singleElement()
                            .satisfies(p -> {
                                assertThat(p.offset()).isEqualTo(lastRecordStart);
                                assertThat(p.file()).endsWith("db-1.log");
                                assertThat(p.what()).contains("torn tail");
                            });
                }
                assertThat(Files.size(copy.resolve("db-1.log"))).isEqualTo(lastRecordStart);
                await(store.add("q", message(9, SIZE)));
            }
            try (JournalStore store = JournalStore.open(copy, noForce)) {
                assertThat(ids(store, "q")).as("cut at %d, then appended", cut).containsExactly(1L, 2L, 3L, 9L);
                assertThat(store.recoveryReport().problems()).isEmpty();
            }
        }
    }

    @Test
    void aGarbledRecordInTheMiddleIsSkippedAndReported() throws IOException {
        List<Long> starts = writeFive();
        long third = starts.get(2);
        flipByte(dir.resolve("db-1.log"), third + RecordDescriptor.HEADER_LENGTH + 5);
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 4L, 5L);
            assertBodies(store, "q", SIZE);
            assertThat(store.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.file()).endsWith("db-1.log");
                assertThat(p.offset()).isEqualTo(third);
                assertThat(p.what()).contains("CRC32C mismatch");
                assertThat(p.action()).contains("skipped").contains(String.valueOf(starts.get(3)));
            });
        }
    }

    @Test
    void aGarbledLengthFieldIsSkippedByFindingTheNextValidRecord() throws IOException {
        List<Long> starts = writeFive();
        flipByte(dir.resolve("db-1.log"), starts.get(1) + RecordDescriptor.LENGTH_OFFSET);
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(1L, 3L, 4L, 5L);
            assertThat(store.recoveryReport().problems()).singleElement()
                    .satisfies(p -> assertThat(p.offset()).isEqualTo(starts.get(1)));
        }
    }

    @Test
    void aFileOfAnotherFormatVersionIsRefusedNamingBothVersions() throws IOException {
        try (JournalStore store = open(dir)) {
            await(store.add("q", message(1, SIZE)));
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("db-1.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 2),
                    FileHeaderDescriptor.VERSION_OFFSET);
        }
        assertThatThrownBy(() -> open(dir)).isInstanceOf(JournalException.class)
                .hasMessageContaining("db-1.log").hasMessageContaining("version 2")
                .hasMessageContaining("version " + FileHeaderDescriptor.VERSION);
        // The refusal released the directory: fixing the file makes it open again.
        try (FileChannel ch = FileChannel.open(dir.resolve("db-1.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, FileHeaderDescriptor.VERSION),
                    FileHeaderDescriptor.VERSION_OFFSET);
        }
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(1L);
        }
    }

    @Test
    void aLastFileTornWhileBeingCreatedIsDeleted() throws IOException {
        try (JournalStore store = open(dir)) {
            await(store.add("q", message(1, SIZE)));
        }
        Files.write(dir.resolve("db-2.log"), new byte[] {'T', 'E', 'R'});
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(1L);
            assertThat(dir.resolve("db-2.log")).doesNotExist();
            assertThat(store.recoveryReport().problems()).hasSize(1);
            await(store.add("q", message(2, SIZE)));
        }
        try (JournalStore store = open(dir)) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L);
        }
    }

    /**
     * Adds messages 1..5 to q, one record each; returns where each record starts in db-1.log. No checkpoint is left:
     * the next open replays every record.
     */
    private List<Long> writeFive() throws IOException {
        List<Long> starts = new ArrayList<>();
        try (JournalStore store = open(dir)) {
            for (long id = 1; id <= 5; id++) {
                starts.add(Math.max(store.recordedBytes(1), FileHeaderDescriptor.LENGTH));
                await(store.add("q", message(id, SIZE)));
            }
        }
        deleteCheckpoints(dir);
        return starts;
    }


    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            ch.write(b.rewind(), offset);
        }
    }
}
