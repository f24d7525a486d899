package io.tern.broker.paging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import io.tern.broker.testing.Messages;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.WireDestination;
import io.tern.broker.testing.RecordingSubscriber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Backlog} without a broker, its page reads run by hand, so the interleavings that matter are exact: a
 * message stored but not yet arrived when a page reads it, a message arriving while a page is read.
 */
class BacklogTest {
    private static final WireDestination Q = WireDestination.queue("q");
    /** Pages of 3 messages of about 1.2 KiB; the container starts paging above 8 KiB. */
    private static final long LIMIT = 16 * 1024;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final MemoryStore memory = new MemoryStore();
    private final InterceptedStore store = new InterceptedStore(memory);
    private final MemoryBudget budget = new MemoryBudget(LIMIT);
    private final MemoryBudget.Account account = budget.account();
    private final RecordingSubscriber consumer = new RecordingSubscriber();
    private final DispatchQueue dispatch = new DispatchQueue(consumer, e -> { }, account);
    private final Backlog backlog = new Backlog("q", "queue 'q'", store, budget, account, dispatch, tasks::add,
            e -> dispatch.enqueue(e));

    private static QueueEntry entry(long id) {
        byte[] envelope = Messages.to(Q).persistent(true).properties(Map.of("n", id)).text("x".repeat(1000));
        return new QueueEntry(new BrokerMessage(MessageEnvelope.parse(envelope), null), id);
    }

    /** What a queue does with a persistent send: expect, store, arrive. */
    private void send(long id) {
        QueueEntry e = entry(id);
        backlog.expect(id);
        memory.add("q", new StoredMessage(id, e.message().bytes())).join();
        arrive(e);
    }

    private void arrive(QueueEntry e) {
        if (backlog.admit(e)) {
            dispatch.enqueue(e);
        }
    }

    private void runPager() {
        for (int i = 0; i < 10_000 && !tasks.isEmpty(); i++) {
            tasks.poll().run();
        }
        assertThat(tasks).as("the pager settles").isEmpty();
    }

    @Test
    void aStoredMessageThatHasNotArrivedYetIsSkippedByPagesAndHeldWhenItArrives() {
        for (long id = 1; id <= 20; id++) {
            send(id);
        }
        assertThat(backlog.isPaging()).isTrue();
        QueueEntry late = entry(21);
        backlog.expect(21);
        memory.add("q", new StoredMessage(21, late.message().bytes())).join(); // stored, its route not run yet
        dispatch.attach(consumer, 1000, MessageFilter.ALL);
        dispatch.dispatch();
        runPager();
        assertThat(consumer.ids()).as("a page passed over 21").containsExactlyElementsOf(ids(1, 20));
        assertThat(backlog.isPaging()).isFalse();
        arrive(late);
        runPager();
        assertThat(consumer.ids()).containsExactlyElementsOf(ids(1, 21));
    }

    @Test
    void aMessageArrivingWhileAShortPageIsReadKeepsTheContainerPagingAndIsPagedInOnce() {
        for (long id = 1; id <= 12; id++) {
            send(id);
        }
        assertThat(backlog.isPaging()).isTrue();
        dispatch.attach(consumer, 1000, MessageFilter.ALL);
        store.duringNextShortRead(() -> send(13)); // after the page was read, before it is taken in
        dispatch.dispatch();
        runPager();
        assertThat(store.afterShortRead).as("13 arrived during a short read").isNull();
        assertThat(consumer.ids()).containsExactlyElementsOf(ids(1, 13));
        assertThat(backlog.storeOnly()).isZero();
        assertThat(backlog.isPaging()).isFalse();
    }

    @Test
    void aRolledBackSendIsForgottenAndLaterMessagesStillFlow() {
        for (long id = 1; id <= 12; id++) {
            send(id);
        }
        backlog.expect(13); // a transaction's send, never committed
        backlog.abandon(13);
        send(14);
        dispatch.attach(consumer, 1000, MessageFilter.ALL);
        dispatch.dispatch();
        runPager();
        assertThat(consumer.ids()).containsExactlyElementsOf(
                LongStream.concat(LongStream.rangeClosed(1, 12), LongStream.of(14)).boxed().toList());
    }

    @Test
    void aBrowseWalksHeldThenStoredMessagesAndPurgeRemovesTheStoredOnes() {
        for (long id = 1; id <= 30; id++) {
            send(id);
        }
        long held = dispatch.pendingCount();
        assertThat(backlog.storeOnly()).isEqualTo(30 - held);
        List<Long> browsed = new ArrayList<>();
        Iterator<QueueEntry> it = backlog.browse(MessageFilter.ALL);
        it.forEachRemaining(e -> browsed.add(e.sequence()));
        assertThat(browsed).containsExactlyElementsOf(ids(1, 30));
        assertThat(backlog.purge()).isEqualTo(30 - held);
        assertThat(memory.count("q")).isEqualTo(held);
        assertThat(backlog.isPaging()).isFalse();
        assertThat(backlog.storeOnly()).isZero();
    }

    @Test
    void theAccountIsReleasedAsEntriesAreSettled() {
        for (long id = 1; id <= 30; id++) {
            send(id);
        }
        assertThat(budget.heldBytes()).isPositive().isLessThanOrEqualTo(LIMIT);
        dispatch.attach(consumer, 1000, MessageFilter.ALL);
        dispatch.dispatch();
        runPager();
        assertThat(consumer.ids()).containsExactlyElementsOf(ids(1, 30));
        consumer.delivered.forEach(dispatch::settled);
        assertThat(budget.heldBytes()).isZero();
        assertThat(account.heldBytes()).isZero();
    }

    private static List<Long> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }


    /** A store that runs an action once, right after a page read that came back short. */
    private static final class InterceptedStore implements Store {
        private final Store delegate;
        private Runnable afterShortRead;

        InterceptedStore(Store delegate) {
            this.delegate = delegate;
        }

        void duringNextShortRead(Runnable action) {
            afterShortRead = action;
        }

        @Override
        public int recover(String queue, long afterId, int max, Consumer<StoredMessage> visitor) {
            int n = delegate.recover(queue, afterId, max, visitor);
            if (n < max && afterShortRead != null) {
                Runnable action = afterShortRead;
                afterShortRead = null;
                action.run();
            }
            return n;
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public CompletableFuture<Void> add(String queue, StoredMessage message) {
            return delegate.add(queue, message);
        }

        @Override
        public CompletableFuture<Void> remove(String queue, long id) {
            return delegate.remove(queue, id);
        }

        @Override
        public CompletableFuture<Void> commit(StoreBatch batch) {
            return delegate.commit(batch);
        }

        @Override
        public Optional<StoredMessage> read(String queue, long id) {
            return delegate.read(queue, id);
        }

        @Override
        public Set<String> queueNames() {
            return delegate.queueNames();
        }

        @Override
        public long maxId(String queue) {
            return delegate.maxId(queue);
        }

        @Override
        public CompletableFuture<Void> markDelivered(String queue, long upToId) {
            return delegate.markDelivered(queue, upToId);
        }

        @Override
        public long deliveredMark(String queue) {
            return delegate.deliveredMark(queue);
        }

        @Override
        public long count(String queue) {
            return delegate.count(queue);
        }

        @Override
        public long usedBytes() {
            return delegate.usedBytes();
        }

        @Override
        public CompletableFuture<Void> addSubscription(StoredSubscription subscription) {
            return delegate.addSubscription(subscription);
        }

        @Override
        public CompletableFuture<Void> removeSubscription(String container) {
            return delegate.removeSubscription(container);
        }

        @Override
        public List<StoredSubscription> subscriptions() {
            return delegate.subscriptions();
        }

        @Override
        public CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch) {
            return delegate.prepare(xid, batch);
        }

        @Override
        public CompletableFuture<Void> commitPrepared(byte[] xid) {
            return delegate.commitPrepared(xid);
        }

        @Override
        public CompletableFuture<Void> rollbackPrepared(byte[] xid) {
            return delegate.rollbackPrepared(xid);
        }

        @Override
        public List<PreparedBatch> prepared() {
            return delegate.prepared();
        }

        @Override
        public List<String> describeSpace() {
            return delegate.describeSpace();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
