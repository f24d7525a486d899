package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.assertBodies;
import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoreBatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zeroed tail that small forced appends write ahead of themselves (so their forces need no metadata change):
 * it lies past the records while the file is written, is cut off when the file rolls over or the store closes, and
 * after a crash recovery cuts it off without calling it damage, while a torn record before it is still a torn tail.
 */
@Timeout(60)
class JournalZeroTailTest {
    private static final int SIZE = 1000;

    @TempDir
    Path dir;

    @Test
    void smallForcedAppendsOverwriteAZeroedTailThatClosingCutsOff() throws IOException {
        Path file = dir.resolve("db-1.log");
        long recorded;
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            await(store.add("q", message(1, SIZE)));
            long first = store.recordedBytes(1);
            assertThat(Files.size(file)).isEqualTo(first + Journal.ZERO_TAIL);
            for (long id = 2; id <= 50; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            recorded = store.recordedBytes(1);
            assertThat(recorded).isGreaterThan(first + 49L * SIZE);
            // The next 49 records went into the zeros: the file did not grow.
            assertThat(Files.size(file)).isEqualTo(first + Journal.ZERO_TAIL);
            assertThat(zerosFrom(file, recorded)).isTrue();
        }
        assertThat(Files.size(file)).isEqualTo(recorded);
        JournalTesting.deleteCheckpoints(dir);
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).hasSize(50);
            assertBodies(store, "q", SIZE);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void aCrashLeavesTheZeroedTailAndRecoveryCutsItOffWithoutAProblem() throws IOException {
        Path source = dir.resolve("source");
        Path crashed = dir.resolve("crashed");
        long recorded;
        try (JournalStore store = JournalStore.open(source, JournalOptions.defaults())) {
            for (long id = 1; id <= 20; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            await(store.remove("q", 3));
            recorded = store.recordedBytes(1);
            copyDataFiles(source, crashed); // what the disk holds if the machine stopped here
        }
        assertThat(Files.size(crashed.resolve("db-1.log"))).isGreaterThan(recorded);
        try (JournalStore store = JournalStore.open(crashed, JournalOptions.defaults())) {
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).hasSize(19).doesNotContain(3L);
            assertBodies(store, "q", SIZE);
            assertThat(Files.size(crashed.resolve("db-1.log"))).isEqualTo(recorded);
            await(store.add("q", message(21, SIZE)));
        }
        try (JournalStore store = JournalStore.open(crashed, JournalOptions.defaults())) {
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).hasSize(20).contains(21L);
        }
    }

    @Test
    void aTornRecordBeforeTheZeroedTailIsStillATornTail() throws IOException {
        Path source = dir.resolve("source");
        Path crashed = dir.resolve("crashed");
        long lastStart;
        try (JournalStore store = JournalStore.open(source, JournalOptions.defaults())) {
            for (long id = 1; id <= 4; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            lastStart = store.recordedBytes(1);
            await(store.add("q", message(5, SIZE)));
            copyDataFiles(source, crashed);
        }
        Path file = crashed.resolve("db-1.log");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long at = lastStart + RecordDescriptor.HEADER_LENGTH + SIZE / 2; // half of it never reached the disk
            raf.seek(at);
            raf.write(new byte[SIZE / 2]);
        }
        try (JournalStore store = JournalStore.open(crashed, JournalOptions.defaults())) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L, 3L, 4L);
            assertThat(store.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.offset()).isEqualTo(lastStart);
                assertThat(p.what()).contains("torn tail");
            });
            assertThat(Files.size(file)).isEqualTo(lastStart);
        }
    }

    @Test
    void aFileThatRollsOverLosesItsZeroedTailAndNoTailPassesTheSizeLimit() throws IOException {
        long limit = 64 * 1024;
        JournalOptions options = JournalOptions.defaults().withMaxFileSize(limit);
        try (JournalStore store = JournalStore.open(dir, options)) {
            for (long id = 1; id <= 150; id++) {
                await(store.add("q", message(id, SIZE)));
            }
            List<Integer> numbers = dataFileNumbers(dir);
            assertThat(numbers.size()).isGreaterThan(2);
            for (int number : numbers.subList(0, numbers.size() - 1)) {
                assertThat(Files.size(dir.resolve(JournalFile.name(number)))).as("db-%d.log", number)
                        .isEqualTo(store.recordedBytes(number)).isLessThanOrEqualTo(limit);
            }
            int last = numbers.get(numbers.size() - 1);
            assertThat(Files.size(dir.resolve(JournalFile.name(last)))).isEqualTo(limit);
        }
        try (JournalStore store = JournalStore.open(dir, options)) {
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(ids(store, "q")).hasSize(150);
        }
    }

    @Test
    void largeBatchesAndUnforcedPoliciesWriteNoZeros() throws IOException {
        try (JournalStore store = JournalStore.open(dir.resolve("large"), JournalOptions.defaults())) {
            List<StoreBatch.Add> adds = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                adds.add(new StoreBatch.Add("q", message(id, SIZE)));
            }
            await(store.commit(new StoreBatch(adds, List.of()))); // one record of about 100 KiB
            assertThat(Files.size(dir.resolve("large").resolve("db-1.log"))).isEqualTo(store.recordedBytes(1));
        }
        for (SyncPolicy policy : List.of(SyncPolicy.NEVER, SyncPolicy.PERIODIC)) {
            Path journal = dir.resolve(policy.name());
            try (JournalStore store = JournalStore.open(journal, JournalOptions.defaults().withSync(policy, 1000))) {
                await(store.add("q", message(1, SIZE)));
                assertThat(Files.size(journal.resolve("db-1.log"))).as("%s", policy)
                        .isEqualTo(store.recordedBytes(1));
            }
        }
    }

    private static boolean zerosFrom(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (long i = offset; i < bytes.length; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void copyDataFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static List<Integer> dataFileNumbers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(JournalFile::numberOf).filter(n -> n > 0).sorted().toList();
        }
    }
}
