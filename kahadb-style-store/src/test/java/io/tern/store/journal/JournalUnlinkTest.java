package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleted data files leave the journal at once and are removed from disk off the writer thread, in order; a failed
 * rename leaves the later files too, since their records may cancel the failed one's adds.
 */
class JournalUnlinkTest {
    @TempDir
    Path dir;

    /** A journal of three small data files, db-1 to db-3, the last one being written. */
    private Journal threeFiles() throws IOException {
        Journal journal = new Journal(dir, 4096, List.of(), 1, 0, false);
        for (int i = 0; i < 3; i++) {
            journal.append(new ByteBuffer[] {ByteBuffer.allocate(3000)}, 1); // each record needs a file of its own
        }
        journal.force();
        assertThat(journal.fileNumbers()).containsExactly(1, 2, 3);
        return journal;
    }

    private Path file(int number) {
        return dir.resolve(JournalFile.name(number));
    }

    @Test
    void deletedFilesLeaveTheJournalAtOnceAndTheirNamesAreGoneWhenItCloses() throws IOException {
        Journal journal = threeFiles();
        journal.delete(1);
        journal.delete(2);
        assertThat(journal.fileNumbers()).containsExactly(3);
        assertThat(journal.contains(1)).isFalse();
        journal.close();
        assertThat(file(1)).doesNotExist();
        assertThat(file(2)).doesNotExist();
        assertThat(file(3)).exists();
    }

    @Test
    void afterAFailedUnlinkTheLaterFilesStayForTheNextStart() throws IOException {
        Journal journal = threeFiles();
        // a directory that is not empty holds db-1's retired name: renaming db-1 there fails
        Path inTheWay = Journal.retiredName(file(1));
        Files.createDirectory(inTheWay);
        Files.writeString(inTheWay.resolve("in-the-way"), "x");
        journal.delete(1);
        journal.delete(2);
        assertThat(journal.fileNumbers()).containsExactly(3);
        journal.close();
        assertThat(file(1)).isRegularFile();
        assertThat(file(2)).as("db-2's removes could cancel adds in db-1, which is still there").exists();
        assertThat(Journal.retiredName(file(2))).doesNotExist();
        assertThat(file(3)).exists();
    }

    @Test
    void aStartDeletesTheFilesAStopLeftRetiredAndNeverReplaysThem(@TempDir Path other) throws IOException {
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            JournalTesting.await(store.add("q", JournalTesting.message(1, 100)));
        }
        try (JournalStore store = JournalStore.open(other, JournalOptions.defaults())) {
            JournalTesting.await(store.add("q", JournalTesting.message(2, 100)));
        }
        // what a crash between the rename and the unlink leaves: a whole data file under its retired name, here
        // one whose add of message 2 would show if it were replayed
        Path retired = Journal.retiredName(file(7));
        Files.copy(other.resolve(JournalFile.name(1)), retired);
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(retired).doesNotExist();
            assertThat(store.count("q")).isEqualTo(1);
            assertThat(store.read("q", 2)).isEmpty();
        }
    }
}
