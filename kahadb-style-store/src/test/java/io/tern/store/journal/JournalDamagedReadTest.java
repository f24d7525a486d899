package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.flipByteAfter;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoreBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that rots on disk after a checkpoint covered it is not replayed at start, so it is caught when its message
 * is read: the damaged message is skipped, reported and removed, and the others are served.
 */
class JournalDamagedReadTest {
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withCheckpointInterval(600_000);

    @TempDir
    Path dir;

    @Test
    void aMessageWhoseRecordFailsItsChecksumIsSkippedAndRemovedOthersAreServed() throws Exception {
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            for (long id = 1; id <= 3; id++) {
                await(store.add("q", message(id, 200)));
            }
        } // the clean close writes a checkpoint: the next open does not re-read these records
        flipByteAfter(dir, "message 2 ");

        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            assertThat(store.recoveryReport().problems()).isEmpty();
            assertThat(store.read("q", 1)).isPresent();
            assertThat(ids(store, "q")).containsExactly(1L, 3L);
            assertThat(store.read("q", 2)).isEmpty();
            assertThat(store.count("q")).isEqualTo(2);
        }
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            assertThat(ids(store, "q")).as("the damaged message stays removed").containsExactly(1L, 3L);
        }
    }

    @Test
    void messagesWrittenInATransactionAreReadWithoutTheRecordCheck() {
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("q", message(1, 100)),
                    new StoreBatch.Add("q", message(2, 100))), List.of())));
        }
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            assertThat(ids(store, "q")).containsExactly(1L, 2L);
            assertThat(store.read("q", 2).orElseThrow().envelope()).isEqualTo(message(2, 100).envelope());
        }
    }
}
