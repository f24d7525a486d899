package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Store} passes. A store module extends this class, implements {@link #open(Path)} and,
 * when the store outlives a close (every persistent store), keeps the default {@link #restart}.
 */
@Timeout(30)
public abstract class StoreContractTest {
    @TempDir
    protected Path dir;
    protected Store store;

    /** Opens a store whose files live in {@code dir}; opening it again on the same dir must recover its content. */
    protected abstract Store open(Path dir);

    /** Simulates a broker restart: by default closes the store and opens it again on the same directory. */
    protected Store restart(Store store, Path dir) {
        store.close();
        return open(dir);
    }

    @BeforeEach
    void openStore() {
        store = open(dir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static StoredMessage message(long id) {
        return new StoredMessage(id, ("message " + id).getBytes(StandardCharsets.UTF_8));
    }

    protected static void await(java.util.concurrent.CompletableFuture<Void> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("store write failed", e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected List<Long> recoveredIds(String queue) {
        List<Long> ids = new ArrayList<>();
        store.recover(queue, m -> ids.add(m.id()));
        return ids;
    }

    @Test
    void addedMessageCanBeReadWithItsExactBytes() {
        await(store.add("q", message(1)));
        StoredMessage read = store.read("q", 1).orElseThrow();
        assertThat(read.id()).isEqualTo(1);
        assertThat(read.envelope()).isEqualTo(message(1).envelope());
        assertThat(store.read("q", 2)).isEmpty();
        assertThat(store.read("other", 1)).isEmpty();
    }

    @Test
    void usedBytesGrowsByAtLeastWhatIsAdded() {
        long before = store.usedBytes();
        byte[] big = new byte[10_000];
        await(store.add("q", new StoredMessage(1, big)));
        assertThat(store.usedBytes()).isGreaterThanOrEqualTo(before + big.length);
    }

    @Test
    void recoveryIteratesInIdOrder() {
        await(store.add("q", message(5)));
        await(store.add("q", message(2)));
        await(store.add("q", message(9)));
        assertThat(recoveredIds("q")).containsExactly(2L, 5L, 9L);
    }

    @Test
    void removedMessageIsGoneAndRemovingTwiceIsNoError() {
        await(store.add("q", message(1)));
        await(store.add("q", message(2)));
        await(store.remove("q", 1));
        await(store.remove("q", 1));
        await(store.remove("never", 7));
        assertThat(store.read("q", 1)).isEmpty();
        assertThat(recoveredIds("q")).containsExactly(2L);
    }

    @Test
    void addingAnIdTwiceFails() {
        await(store.add("q", message(1)));
        assertThatThrownBy(() -> store.add("q", message(1)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void queuesAreIndependent() {
        await(store.add("a", message(1)));
        await(store.add("b", message(1)));
        await(store.remove("a", 1));
        assertThat(recoveredIds("a")).isEmpty();
        assertThat(recoveredIds("b")).containsExactly(1L);
        assertThat(store.queueNames()).containsExactly("b");
    }

    @Test
    void batchAppliesAddsAndRemovesTogether() {
        await(store.add("q", message(1)));
        await(store.commit(new StoreBatch(
                List.of(new StoreBatch.Add("q", message(2)), new StoreBatch.Add("r", message(1))),
                List.of(new StoreBatch.Remove("q", 1)))));
        assertThat(recoveredIds("q")).containsExactly(2L);
        assertThat(recoveredIds("r")).containsExactly(1L);
    }

    @Test
    void failedBatchAppliesNothing() {
        await(store.add("q", message(1)));
        await(store.add("q", message(2)));
        var batch = new StoreBatch(List.of(new StoreBatch.Add("q", message(3)), new StoreBatch.Add("q", message(2))),
                List.of(new StoreBatch.Remove("q", 1)));
        assertThatThrownBy(() -> store.commit(batch).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(recoveredIds("q")).containsExactly(1L, 2L);
    }

    @Test
    void contentSurvivesARestart() {
        await(store.add("q", message(1)));
        await(store.add("q", message(2)));
        await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("r", message(7))),
                List.of(new StoreBatch.Remove("q", 1)))));
        store = restart(store, dir);
        assertThat(store.queueNames()).containsExactlyInAnyOrder("q", "r");
        assertThat(recoveredIds("q")).containsExactly(2L);
        assertThat(store.read("r", 7).orElseThrow().envelope()).isEqualTo(message(7).envelope());
    }

    protected static StoredSubscription subscription(String clientId, String name, String container) {
        return new StoredSubscription(clientId, name, "prices", "region = 'EU'", true, false, container);
    }

    @Test
    void subscriptionsAreListedInTheOrderRecordedWithEveryField() {
        StoredSubscription a = subscription("client-a", "eu", "$subscription:a");
        StoredSubscription b = new StoredSubscription(null, "shared", "news", null, false, true, "$subscription:b");
        await(store.addSubscription(a));
        await(store.addSubscription(b));
        assertThat(store.subscriptions()).containsExactly(a, b);
    }

    @Test
    void recordingAContainerAgainReplacesItsRecordAndKeepsItsMessages() {
        await(store.addSubscription(subscription("c", "s", "$subscription:1")));
        await(store.add("$subscription:1", message(4)));
        StoredSubscription changed = new StoredSubscription("c", "s", "other", null, false, false, "$subscription:1");
        await(store.addSubscription(changed));
        assertThat(store.subscriptions()).containsExactly(changed);
        assertThat(recoveredIds("$subscription:1")).containsExactly(4L);
    }

    @Test
    void subscriptionMessagesLiveInItsContainerLikeAQueue() {
        await(store.addSubscription(subscription("c", "s", "$subscription:1")));
        await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("$subscription:1", message(1)),
                new StoreBatch.Add("$subscription:1", message(2)), new StoreBatch.Add("q", message(1))), List.of())));
        await(store.remove("$subscription:1", 1));
        assertThat(recoveredIds("$subscription:1")).containsExactly(2L);
        assertThat(store.queueNames()).containsExactlyInAnyOrder("q", "$subscription:1");
    }

    @Test
    void removingASubscriptionRemovesItsMessagesAndNothingElse() {
        await(store.addSubscription(subscription("c", "gone", "$subscription:1")));
        await(store.addSubscription(subscription("c", "kept", "$subscription:2")));
        await(store.add("$subscription:1", message(1)));
        await(store.add("$subscription:1", message(2)));
        await(store.add("$subscription:2", message(1)));
        await(store.add("q", message(1)));
        await(store.removeSubscription("$subscription:1"));
        await(store.removeSubscription("$subscription:never"));
        assertThat(store.subscriptions()).extracting(StoredSubscription::name).containsExactly("kept");
        assertThat(recoveredIds("$subscription:1")).isEmpty();
        assertThat(recoveredIds("$subscription:2")).containsExactly(1L);
        assertThat(recoveredIds("q")).containsExactly(1L);
        assertThat(store.queueNames()).containsExactlyInAnyOrder("q", "$subscription:2");
    }

    @Test
    void subscriptionsAndTheirMessagesSurviveARestart() {
        StoredSubscription kept = subscription("c", "kept", "$subscription:2");
        await(store.addSubscription(subscription("c", "gone", "$subscription:1")));
        await(store.addSubscription(kept));
        await(store.add("$subscription:1", message(1)));
        await(store.add("$subscription:2", message(1)));
        await(store.add("$subscription:2", message(2)));
        await(store.remove("$subscription:2", 1));
        await(store.removeSubscription("$subscription:1"));
        store = restart(store, dir);
        assertThat(store.subscriptions()).containsExactly(kept);
        assertThat(recoveredIds("$subscription:2")).containsExactly(2L);
        assertThat(recoveredIds("$subscription:1")).isEmpty();
    }

    @Test
    void writesAfterCloseFail() {
        store.close();
        assertThat(store.add("q", message(1))).isCompletedExceptionally();
        assertThat(store.remove("q", 1)).isCompletedExceptionally();
        assertThat(store.addSubscription(subscription("c", "s", "$subscription:1"))).isCompletedExceptionally();
        assertThat(store.removeSubscription("$subscription:1")).isCompletedExceptionally();
        store = open(dir);
    }
}
