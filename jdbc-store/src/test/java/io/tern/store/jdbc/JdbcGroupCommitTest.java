package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.StoredMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent writes share database transactions; a failing write fails alone. */
@Timeout(60)
class JdbcGroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAddsShareFarFewerTransactionsThanWrites() throws Exception {
        int threads = 16;
        int perThread = 200;
        try (JdbcStore store = JdbcStore.open(JdbcOptions.h2(dir))) {
            long before = store.transactions();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                Thread sender = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 1; i <= perThread; i++) {
                        futures.add(store.add("q", new StoredMessage(base + i, new byte[100])));
                    }
                });
                sender.start();
                senders.add(sender);
            }
            start.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            int n = threads * perThread;
            long used = store.transactions() - before;
            assertThat(store.count("q")).isEqualTo(n);
            assertThat(used).as("transactions for %d concurrent adds", n).isLessThan(n / 4);
            assertThat(store.usedBytes()).isGreaterThanOrEqualTo(100L * n);
        }
    }

    @Test
    void aFailingWriteInAGroupFailsAloneAndTheOthersAreApplied() throws Exception {
        try (JdbcStore store = JdbcStore.open(JdbcOptions.h2(dir))) {
            store.add("q", new StoredMessage(1, new byte[1])).get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (long id = 0; id < 50; id++) {
                futures.add(store.add("q", new StoredMessage(id == 25 ? 1 : 100 + id, new byte[1])));
            }
            for (int i = 0; i < futures.size(); i++) {
                CompletableFuture<Void> f = futures.get(i);
                if (i == 25) {
                    assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class);
                } else {
                    assertThat(f).succeedsWithin(10, TimeUnit.SECONDS);
                }
            }
            assertThat(store.count("q")).isEqualTo(50);
        }
    }

    @Test
    void usedBytesFollowsAddsAndRemovesAndIsReadAgainAtOpen() throws Exception {
        try (JdbcStore store = JdbcStore.open(JdbcOptions.h2(dir))) {
            for (long id = 1; id <= 10; id++) {
                store.add("q", new StoredMessage(id, new byte[1000])).get(10, TimeUnit.SECONDS);
            }
            store.remove("q", 1).get(10, TimeUnit.SECONDS);
            store.remove("q", 1).get(10, TimeUnit.SECONDS);
            assertThat(store.usedBytes()).isEqualTo(9000);
        }
        try (JdbcStore store = JdbcStore.open(JdbcOptions.h2(dir))) {
            assertThat(store.usedBytes()).isEqualTo(9000);
            assertThat(store.describeSpace()).anySatisfy(line -> assertThat(line).contains("q holds 9 messages, 9000 "
                    + "bytes, ids 2..10"));
        }
    }
}
