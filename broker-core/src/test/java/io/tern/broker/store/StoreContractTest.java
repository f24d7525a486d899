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

    // ---- pages of a backlog

    @Test
    void aPageStartsAfterTheGivenIdAndStopsAtMax() {
        for (long id = 1; id <= 10; id++) {
            await(store.add("q", message(id)));
        }
        await(store.remove("q", 4));
        List<Long> ids = new ArrayList<>();
        assertThat(store.recover("q", 2, 3, m -> ids.add(m.id()))).isEqualTo(3);
        assertThat(ids).containsExactly(3L, 5L, 6L);
        ids.clear();
        assertThat(store.recover("q", 6, 100, m -> ids.add(m.id()))).isEqualTo(4);
        assertThat(ids).containsExactly(7L, 8L, 9L, 10L);
        assertThat(store.recover("q", 10, 100, m -> ids.add(m.id()))).isZero();
        assertThat(store.recover("unknown", 0, 100, m -> ids.add(m.id()))).isZero();
    }

    @Test
    void aPageCarriesTheExactBytes() {
        await(store.add("q", message(1)));
        List<StoredMessage> page = new ArrayList<>();
        store.recover("q", 0, 10, page::add);
        assertThat(page).singleElement().satisfies(m -> assertThat(m.envelope()).isEqualTo(message(1).envelope()));
    }

    @Test
    void countFollowsAddsRemovesAndBatches() {
        assertThat(store.count("q")).isZero();
        await(store.add("q", message(1)));
        await(store.add("q", message(2)));
        await(store.commit(new StoreBatch(List.of(new StoreBatch.Add("q", message(3))),
                List.of(new StoreBatch.Remove("q", 1)))));
        assertThat(store.count("q")).isEqualTo(2);
        store = restart(store, dir);
        assertThat(store.count("q")).isEqualTo(2);
    }

    @Test
    void aLargeQueueIsRecoveredWholeAcrossPages() {
        int n = Store.RECOVER_PAGE * 2 + 7;
        List<StoreBatch.Add> adds = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            adds.add(new StoreBatch.Add("q", message(id)));
        }
        await(store.commit(new StoreBatch(adds, List.of())));
        assertThat(recoveredIds("q")).hasSize(n).startsWith(1L).endsWith((long) n).isSorted();
    }

    // ---- prepared XA branches

    protected static byte[] xid(int n) {
        return ("xid-" + n).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void preparedAddsAreInvisibleUntilCommitted() {
        await(store.add("q", message(1)));
        await(store.prepare(xid(1), new StoreBatch(List.of(new StoreBatch.Add("q", message(2))),
                List.of(new StoreBatch.Remove("q", 1)))));
        assertThat(recoveredIds("q")).containsExactly(1L);
        assertThat(store.read("q", 2)).isEmpty();
        assertThat(store.count("q")).isEqualTo(1);
        assertThat(store.prepared()).singleElement().satisfies(p -> {
            assertThat(p.xid()).isEqualTo(xid(1));
            assertThat(p.batch().adds()).extracting(a -> a.message().id()).containsExactly(2L);
            assertThat(p.batch().adds().get(0).message().envelope()).isEqualTo(message(2).envelope());
            assertThat(p.batch().removes()).containsExactly(new StoreBatch.Remove("q", 1));
        });
        await(store.commitPrepared(xid(1)));
        assertThat(recoveredIds("q")).containsExactly(2L);
        assertThat(store.prepared()).isEmpty();
    }

    @Test
    void aRolledBackBranchLeavesNoTrace() {
        await(store.add("q", message(1)));
        await(store.prepare(xid(1), new StoreBatch(List.of(new StoreBatch.Add("q", message(2))),
                List.of(new StoreBatch.Remove("q", 1)))));
        await(store.rollbackPrepared(xid(1)));
        assertThat(recoveredIds("q")).containsExactly(1L);
        assertThat(store.prepared()).isEmpty();
        store = restart(store, dir);
        assertThat(recoveredIds("q")).containsExactly(1L);
        assertThat(store.prepared()).isEmpty();
    }

    @Test
    void preparedBranchesSurviveARestartInPrepareOrderAndCompleteAfterIt() {
        await(store.add("q", message(1)));
        await(store.prepare(xid(2), new StoreBatch(List.of(new StoreBatch.Add("r", message(5))), List.of())));
        await(store.prepare(xid(1), new StoreBatch(List.of(), List.of(new StoreBatch.Remove("q", 1)))));
        store = restart(store, dir);
        assertThat(store.prepared()).extracting(p -> new String(p.xid(), StandardCharsets.UTF_8))
                .containsExactly("xid-2", "xid-1");
        assertThat(store.prepared().get(0).batch().adds().get(0).message().envelope())
                .isEqualTo(message(5).envelope());
        assertThat(recoveredIds("q")).containsExactly(1L);
        await(store.commitPrepared(xid(1)));
        await(store.rollbackPrepared(xid(2)));
        store = restart(store, dir);
        assertThat(store.prepared()).isEmpty();
        assertThat(recoveredIds("q")).isEmpty();
        assertThat(recoveredIds("r")).isEmpty();
    }

    @Test
    void preparingTwiceOrCompletingAnUnknownBranchFails() {
        StoreBatch batch = new StoreBatch(List.of(new StoreBatch.Add("q", message(1))), List.of());
        await(store.prepare(xid(1), batch));
        assertThatThrownBy(() -> store.prepare(xid(1), batch).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> store.commitPrepared(xid(9)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.rollbackPrepared(xid(9)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.prepared()).hasSize(1);
    }

    @Test
    void aPreparedAddClaimsItsIdAgainstOtherAddsAndBranches() {
        await(store.add("q", message(1)));
        assertThatThrownBy(() -> store.prepare(xid(1), new StoreBatch(List.of(new StoreBatch.Add("q", message(1))),
                List.of())).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        await(store.prepare(xid(2), new StoreBatch(List.of(new StoreBatch.Add("q", message(2))), List.of())));
        assertThatThrownBy(() -> store.prepare(xid(3), new StoreBatch(List.of(new StoreBatch.Add("q", message(2))),
                List.of())).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(store.prepared()).hasSize(1);
    }

    @Test
    void aCommittedBranchIgnoresRemovesOfMessagesAlreadyGone() {
        await(store.add("q", message(1)));
        await(store.prepare(xid(1), new StoreBatch(List.of(new StoreBatch.Add("q", message(2))),
                List.of(new StoreBatch.Remove("q", 1)))));
        await(store.remove("q", 1));
        await(store.commitPrepared(xid(1)));
        assertThat(recoveredIds("q")).containsExactly(2L);
    }

    /**
     * The broker keeps an operator's heuristic decision as an empty prepared batch under an identity of up to the
     * longest length, starting 0xFF: it survives a restart byte for byte and goes with rollbackPrepared.
     */
    @Test
    void anEmptyBranchWithTheLongestIdentitySurvivesARestartUntilRolledBack() {
        byte[] identity = new byte[Store.MAX_XID_LENGTH];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = (byte) (0xFF - i);
        }
        await(store.add("q", message(1)));
        await(store.prepare(identity, new StoreBatch(List.of(), List.of())));
        store = restart(store, dir);
        assertThat(store.prepared()).singleElement().satisfies(p -> {
            assertThat(p.xid()).isEqualTo(identity);
            assertThat(p.batch().isEmpty()).isTrue();
        });
        assertThat(recoveredIds("q")).containsExactly(1L);
        await(store.rollbackPrepared(identity));
        store = restart(store, dir);
        assertThat(store.prepared()).isEmpty();
        assertThat(recoveredIds("q")).containsExactly(1L);
    }

    @Test
    void aBranchIdentityMustFitTheLimit() {
        assertThat(store.prepare(new byte[0], new StoreBatch(List.of(), List.of()))).isCompletedExceptionally();
        assertThat(store.prepare(new byte[Store.MAX_XID_LENGTH + 1], new StoreBatch(List.of(), List.of())))
                .isCompletedExceptionally();
    }

    @Test
    void maxIdCountsHeldMessagesAndPreparedAdds() {
        assertThat(store.maxId("q")).isEqualTo(Long.MIN_VALUE);
        await(store.add("q", message(3)));
        await(store.add("q", message(5)));
        await(store.remove("q", 5));
        assertThat(store.maxId("q")).isEqualTo(3);
        await(store.prepare(xid(1), new StoreBatch(List.of(new StoreBatch.Add("q", message(9))), List.of())));
        assertThat(store.maxId("q")).isEqualTo(9);
        store = restart(store, dir);
        assertThat(store.maxId("q")).isEqualTo(9);
    }

    @Test
    void spaceIsDescribedInAtLeastOneLine() {
        await(store.add("q", message(1)));
        assertThat(store.describeSpace()).isNotEmpty().allSatisfy(line -> assertThat(line).isNotBlank());
    }

    // ---- delivered marks

    @Test
    void theLastDeliveredMarkWinsAndSurvivesARestart() {
        assertThat(store.deliveredMark("q")).isEqualTo(Long.MIN_VALUE);
        await(store.add("q", message(1)));
        await(store.markDelivered("q", 1000));
        await(store.markDelivered("q", 1));
        await(store.markDelivered("r", 7));
        store = restart(store, dir);
        assertThat(store.deliveredMark("q")).isEqualTo(1);
        assertThat(store.deliveredMark("r")).isEqualTo(7);
    }

    @Test
    void removingASubscriptionForgetsItsMark() {
        await(store.addSubscription(subscription("c", "s", "$subscription:1")));
        await(store.add("$subscription:1", message(1)));
        await(store.markDelivered("$subscription:1", 1));
        await(store.removeSubscription("$subscription:1"));
        assertThat(store.deliveredMark("$subscription:1")).isEqualTo(Long.MIN_VALUE);
        store = restart(store, dir);
        assertThat(store.deliveredMark("$subscription:1")).isEqualTo(Long.MIN_VALUE);
    }
}
