package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.assertBodies;
import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rollover to new files and deletion of files nothing needs, without resurrecting removed messages. */
@Timeout(30)
class JournalFileGcTest {
    /** With 4 KiB files, two of these adds fill a file: 16 + 2 x 2027 bytes. */
    private static final int ENVELOPE = 2000;
    /** Compaction off: these tests are about what the collector keeps (JournalCompactionTest moves records). */
    private static final JournalOptions SMALL_FILES = JournalOptions.defaults()
            .withMaxFileSize(JournalOptions.MIN_FILE_SIZE).withCompactBelowPercent(0);

    @TempDir
    Path dir;

    @Test
    void aLiveSubscriptionKeepsItsRecordsFileAndAnUnsubscribeLetsItGo() {
        io.tern.broker.store.StoredSubscription sub = new io.tern.broker.store.StoredSubscription("c", "s", "t",
                null, false, false, "$subscription:1");
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.addSubscription(sub));                 // db-1: subscribe
            for (long id = 1; id <= 6; id++) {
                await(store.add("$subscription:1", message(id, ENVELOPE)));
                await(store.remove("$subscription:1", id));
            }
            await(store.add("q", message(1, ENVELOPE)));      // rolls on; every message is gone but the queue's
            assertThat(store.dataFiles()).as("db-1 holds the live subscription").contains(dir.resolve("db-1.log"));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.subscriptions()).containsExactly(sub);
            await(store.add("$subscription:1", message(7, ENVELOPE)));
            await(store.removeSubscription("$subscription:1"));
            await(store.remove("q", 1));
            await(store.add("q", message(2, ENVELOPE)));
            await(store.add("q", message(3, ENVELOPE)));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(store.dataFiles()).doesNotContain(dir.resolve("db-1.log")));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.subscriptions()).isEmpty();
            assertThat(ids(store, "$subscription:1")).isEmpty();
            assertThat(ids(store, "q")).containsExactly(2L, 3L);
        }
    }

    @Test
    void filesRollOverAndAreDeletedOnceEverythingInThemIsRemoved() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            for (long id = 1; id <= 20; id++) {
                await(store.add("q", message(id, ENVELOPE)));
            }
            assertThat(store.dataFiles()).hasSize(10);
            assertBodies(store, "q", ENVELOPE);
            for (long id = 1; id <= 20; id++) {
                await(store.remove("q", id));
            }
            // db-10 is full after 10 small removes, so the last ones roll over to db-11: only that file is needed.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(store.dataFiles()).containsExactly(dir.resolve("db-11.log")));
            // the names are unlinked off the writer thread, in order
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(dir.resolve("db-1.log")).doesNotExist();
                assertThat(dir.resolve("db-10.log")).doesNotExist();
            });
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(store.queueNames()).isEmpty();
            await(store.add("q", message(21, ENVELOPE)));
            assertThat(ids(store, "q")).containsExactly(21L);
        }
    }

    @Test
    void aFileWhoseRemovesCancelAddsInALiveFileIsKeptSoNothingComesBack() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            await(store.add("q", message(1, ENVELOPE)));   // db-1: add 1
            await(store.add("q", message(2, ENVELOPE)));   // db-1: add 2 (full)
            await(store.add("q", message(3, ENVELOPE)));   // db-2: add 3
            await(store.remove("q", 2));                  // db-2: remove 2 -> db-2 must outlive db-1
            await(store.remove("q", 3));                  // db-2: remove 3 -> no live add left in db-2
            await(store.add("q", message(4, ENVELOPE)));   // db-3: add 4, db-2 no longer written
            await(store.add("q", message(5, ENVELOPE)));   // db-3: the collector has run after add 4
            assertThat(store.dataFiles()).extracting(p -> p.getFileName().toString())
                    .containsExactly("db-1.log", "db-2.log", "db-3.log");
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).as("message 2 must not come back").containsExactly(1L, 4L, 5L);
            assertBodies(store, "q", ENVELOPE);
            await(store.remove("q", 1));                  // db-1 has no live add: it goes, then db-2
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(store.dataFiles()).extracting(p -> p.getFileName().toString())
                            .containsExactly("db-3.log"));
        }
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).containsExactly(4L, 5L);
            assertThat(store.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void filesFreedWhileClosedAreDeletedWhenTheStoreOpens() {
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            LongStream.rangeClosed(1, 6).forEach(id -> await(store.add("q", message(id, ENVELOPE))));
            await(store.commit(new io.tern.broker.store.StoreBatch(List.of(), LongStream.rangeClosed(1, 4)
                    .mapToObj(id -> new io.tern.broker.store.StoreBatch.Remove("q", id)).toList())));
        }
        // Closing happened right after the batch; whatever the collector did, reopening leaves only what is needed.
        try (JournalStore store = JournalStore.open(dir, SMALL_FILES)) {
            assertThat(ids(store, "q")).containsExactly(5L, 6L);
            assertThat(store.dataFiles()).extracting(p -> p.getFileName().toString())
                    .containsExactly("db-3.log", "db-4.log");
        }
    }
}
