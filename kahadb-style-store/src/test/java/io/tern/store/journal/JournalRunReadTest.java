package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.flipByteAfter;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging a backlog back in reads runs of neighbouring records with one read each, and hands every message over
 * exactly as one read per message would: in order, whole, across other queues' records and file rollovers, with a
 * damaged record still skipped and removed alone.
 */
class JournalRunReadTest {
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withCheckpointInterval(600_000)
            .withMaxFileSize(512 * 1024);

    @TempDir
    Path dir;

    @Test
    void aBacklogIsReadBackInRunsInOrderAndWhole() {
        int messages = 3_000;
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            for (long id = 1; id <= messages; id++) {
                store.add("q", message(id, 1000 + (int) (id % 7) * 300));
                if (id % 5 == 0) {
                    store.add("other", message(id, 2000)); // a gap between two of q's records
                }
                if (id % 1000 == 0) {
                    store.add("big", message(id, 40_000)); // a gap too wide to read across
                }
            }
            await(store.add("q", message(messages + 1, 10)));
        }
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            assertThat(Files.exists(dir.resolve("db-3.log"))).as("the records span several files").isTrue();
            long readsBefore = store.readCount();
            List<StoredMessage> read = new ArrayList<>();
            long after = Long.MIN_VALUE;
            int n;
            do { // as the broker pages: 1,000 at a time
                n = store.recover("q", after, 1000, read::add);
                if (n > 0) {
                    after = read.get(read.size() - 1).id();
                }
            } while (n == 1000);

            assertThat(read).hasSize(messages + 1);
            for (int i = 0; i < messages; i++) {
                StoredMessage m = read.get(i);
                assertThat(m.id()).isEqualTo(i + 1);
                assertThat(m.envelope()).as("body of %d", m.id())
                        .isEqualTo(message(m.id(), 1000 + (int) (m.id() % 7) * 300).envelope());
            }
            long reads = store.readCount() - readsBefore;
            assertThat(reads).as("reads for %d messages of about 2 KiB", messages + 1).isBetween(1L, 60L);
        }
    }

    @Test
    void aDamagedRecordInsideARunIsSkippedAndRemovedAndTheRestOfTheRunServed() throws Exception {
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            for (long id = 1; id <= 100; id++) {
                store.add("q", message(id, 300));
            }
            await(store.add("q", message(101, 300)));
        }
        flipByteAfter(dir, "message 50 ");

        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            List<Long> ids = new ArrayList<>();
            store.recover("q", Long.MIN_VALUE, 1000, m -> {
                assertThat(m.envelope()).isEqualTo(message(m.id(), 300).envelope());
                ids.add(m.id());
            });
            assertThat(ids).hasSize(100).doesNotContain(50L).startsWith(1L, 2L).endsWith(101L);
            assertThat(store.count("q")).isEqualTo(100);
        }
    }

    @Test
    void messagesNotWrittenYetAreServedFromMemoryBetweenRuns() {
        try (JournalStore store = JournalStore.open(dir, OPTIONS)) {
            for (long id = 1; id <= 500; id++) {
                store.add("q", message(id, 1024));
            }
            List<Long> ids = new ArrayList<>();
            store.recover("q", Long.MIN_VALUE, 1000, m -> {
                assertThat(m.envelope()).isEqualTo(message(m.id(), 1024).envelope());
                ids.add(m.id());
            });
            assertThat(ids).hasSize(500).isSorted();
        }
    }
}
