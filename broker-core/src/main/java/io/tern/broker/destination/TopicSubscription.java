package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliveryGate;
import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.flow.ProducerFlow;
import io.tern.broker.paging.Backlog;
import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.paging.Paging;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import io.tern.jms.wire.MessageEnvelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription to a topic: its own queue of the messages published since it was made that its selector matches
 * (a message that does not match never enters it). Its consumers compete for those messages: one for a plain or an
 * unshared durable subscription, any number for a shared one.
 *
 * <p>A durable subscription has a store container: persistent messages routed to it are stored there (by the
 * topic, before routing) and removed when consumed. It outlives its consumers, and it pages like a queue: while the
 * broker's memory budget is spent, its persistent messages stay in its container only ({@link Backlog}). A
 * non-durable one is closed when its last consumer leaves; its pending messages are dropped then and deliveries
 * given back later are discarded.
 */
final class TopicSubscription implements DeliverySource {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSubscription.class);

    private final Topic topic;
    private final MessageFilter filter;
    private final String skipConnection;
    private final String skipClientId;
    private final StoredSubscription durable;
    private final Store store;
    private final DispatchQueue dispatch;
    private final DeliveredMark mark;
    /** The part of a durable subscription's messages in its container only; null when not durable. */
    private final Backlog backlog;
    private final AtomicInteger consumers = new AtomicInteger();
    private final ProducerFlow.Lane lane;
    private final AtomicLong consumed = new AtomicLong();
    private final Consumer<TopicSubscription> lastConsumerLeft;
    private volatile String selectorText;
    private volatile boolean closed;
    private Redelivery redelivery;

    /**
     * @param skipConnection   a connection whose messages this subscription skips (NO_LOCAL of a plain subscriber)
     * @param skipClientId     a client id whose messages it skips (NO_LOCAL of a durable subscriber)
     * @param durable          its record in the store when durable, else null
     * @param lastConsumerLeft told when its consumer count drops to zero
     * @param paging           the memory budget it charges, and where a durable one's pages are read
     */
    TopicSubscription(Topic topic, MessageFilter filter, String skipConnection, String skipClientId,
                      StoredSubscription durable, Store store, Runnable onExpired,
                      Consumer<TopicSubscription> lastConsumerLeft, Paging paging) {
        this.topic = topic;
        this.filter = filter;
        this.skipConnection = skipConnection;
        this.skipClientId = skipClientId;
        this.durable = durable;
        this.store = store;
        this.lastConsumerLeft = lastConsumerLeft;
        // Every subscription charges the budget, a plain one too: its messages cannot page, persistent ones included,
        // so once such messages fill memory-limit their publishers are held back (a stalled plain subscriber no longer
        // grows the heap).
        MemoryBudget.Account account = durable == null ? paging.budget().unpageableAccount()
                : paging.budget().account();
        this.lane = topic.flow().lane(account, consumers::get);
        account.onRelease(lane::taken);
        String what = durable == null ? null : "durable subscription '" + durable.name() + "' of topic '"
                + topic.name() + "'";
        this.mark = durable == null ? null : new DeliveredMark(store, durable.container(), what,
                store.deliveredMark(durable.container()), paging.pager());
        this.dispatch = new DispatchQueue(this, e -> {
            onExpired.run();
            removeFromStore(e);
        }, account, mark == null ? DeliveryGate.OPEN : mark);
        if (mark != null) {
            mark.resumeWith(dispatch::dispatch);
        }
        this.backlog = durable == null ? null : new Backlog(durable.container(), what, store, paging.budget(),
                account, dispatch, paging.pager(),
                e -> topic.routeAt(e.message().header().deliveryTime(), () -> dispatch.enqueue(e)));
        if (backlog != null) {
            backlog.redeliveredUpTo(mark.recovered());
        }
    }

    /** The broker is stopping cleanly: a durable one's delivered mark comes down to what was really delivered. */
    void settleDeliveredMark() {
        if (mark != null) {
            mark.settle();
        }
    }

    Topic topic() {
        return topic;
    }

    /** Its store record when durable, else null. */
    StoredSubscription durable() {
        return durable;
    }

    /** True when a message published now would enter this subscription. */
    boolean accepts(BrokerMessage message) {
        return !closed
                && (skipConnection == null || !skipConnection.equals(message.originConnectionId()))
                && (skipClientId == null || !skipClientId.equals(message.originClientId()))
                && filter.matches(message, 1);
    }

    /** A non-durable route: the message enters if the subscription accepts it. */
    void offer(BrokerMessage message, long sequence) {
        if (accepts(message)) {
            dispatch.enqueue(new QueueEntry(message, sequence));
        }
    }

    /** A persistent message with this id is about to be stored in this durable subscription's container. */
    void expect(long id) {
        backlog.expect(id);
    }

    /** An expected message will not arrive. */
    void abandon(long id) {
        backlog.abandon(id);
    }

    /**
     * A message already chosen for (and, when persistent, stored in) this durable subscription: held, or left in
     * the container only while the subscription pages.
     */
    void enqueue(QueueEntry entry) {
        if (closed) {
            backlog.abandon(entry.sequence());
            removeFromStore(entry);
            return;
        }
        if (backlog.admit(entry)) {
            dispatch.enqueue(entry);
        }
    }

    /**
     * A message a prepared XA branch recovered at start adds to this durable subscription: routed into it when the
     * branch commits (the store holds it by then), forgotten when it rolls back.
     */
    PreparedSend preparedAdd(StoredMessage stored) {
        QueueEntry entry = new QueueEntry(new BrokerMessage(MessageEnvelope.parse(stored.envelope()), null),
                stored.id());
        backlog.expect(stored.id());
        return new PreparedSend(List.of(new StoreBatch.Add(durable.container(), stored)),
                () -> topic.routeAt(entry.message().header().deliveryTime(), () -> enqueue(entry)),
                () -> backlog.abandon(stored.id()));
    }

    /**
     * Locks a stored message a prepared XA branch recovered at start consumed from this durable subscription: it is
     * not dispatched until the branch commits (settled) or rolls back (given back). A message in the container only
     * (the subscription pages) is read back and taken out of the backlog. Null when the subscription does not hold it.
     */
    QueueEntry lockPrepared(long id) {
        QueueEntry held = dispatch.take(id);
        if (held != null) {
            return held;
        }
        QueueEntry stored = backlog.claim(id);
        return stored != null ? stored : dispatch.take(id);
    }

    /** Reads the first page of its stored messages; the rest stay in the container until consumers take them. */
    void recover() {
        backlog.recover();
    }

    /** Adds a consumer that competes for this subscription's messages. */
    Subscription attach(Subscriber subscriber, int prefetch) {
        DispatchQueue.Attachment attachment = dispatch.attach(subscriber, prefetch);
        consumers.incrementAndGet();
        lane.joined();
        dispatch.dispatch();
        return new DispatchSubscription(dispatch, attachment, () -> {
            int left = consumers.decrementAndGet();
            lane.left();
            if (left == 0) {
                lastConsumerLeft.accept(this);
            }
        });
    }

    /** The selector text a shared non-durable subscription was made with (its identity with topic and name). */
    String selectorText() {
        return selectorText;
    }

    void selectorText(String selector) {
        this.selectorText = selector;
    }

    int consumerCount() {
        return consumers.get();
    }

    /** Ends the subscription: it takes no more messages and drops those it holds (not from the store). */
    void close() {
        closed = true;
        topic.remove(this);
        lane.close();
        if (backlog != null) {
            backlog.close();
        }
        dispatch.drain();
    }

    @Override
    public boolean fansOut() {
        return true;
    }

    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
        if (closed) {
            dispatch.settled(entry);
        } else {
            redelivery.giveBack(entry, counted);
        }
    }

    /** Sets how messages given back again and again are redelivered or dead-lettered; called once, by the topic. */
    void redeliverWith(RedeliveryPolicy policy, java.util.concurrent.ScheduledExecutorService scheduler,
                       java.util.function.Function<String, Queue> queues) {
        String owner = durable != null ? "subscription '" + durable.name() + "' of topic '" + topic.name() + "'"
                : "a subscription of topic '" + topic.name() + "'";
        redelivery = new Redelivery(owner, policy, false, scheduler, queues, store, dispatch, this);
    }

    @Override
    public CompletableFuture<Void> consumed(QueueEntry entry, boolean durable) {
        dispatch.settled(entry);
        consumed.incrementAndGet();
        return removeFromStore(entry, durable);
    }

    @Override
    public StoreBatch.Remove storeRemoval(QueueEntry entry) {
        return isStored(entry) ? new StoreBatch.Remove(durable.container(), entry.sequence()) : null;
    }

    @Override
    public void consumedByCommit(QueueEntry entry) {
        dispatch.settled(entry);
        consumed.incrementAndGet();
    }

    private boolean isStored(QueueEntry entry) {
        return durable != null && entry.message().persistent();
    }

    /** Drops a message chosen for this subscription that will never enter it (it expired before routing). */
    void forget(QueueEntry entry) {
        if (backlog != null) {
            backlog.abandon(entry.sequence());
        }
        removeFromStore(entry);
    }

    private CompletableFuture<Void> removeFromStore(QueueEntry entry) {
        return removeFromStore(entry, true);
    }

    private CompletableFuture<Void> removeFromStore(QueueEntry entry, boolean awaitDurable) {
        if (!isStored(entry)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> removed = awaitDurable ? store.remove(durable.container(), entry.sequence())
                : store.removeAcknowledged(durable.container(), entry.sequence());
        return removed.whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("TERN-B0310 store failed to remove message {} from durable subscription '{}' (client id"
                        + " {}): {}", entry.sequence(), durable.name(), durable.clientId(), e.toString());
            }
        });
    }

    @Override
    public String describe() {
        return durable == null ? "topic://" + topic.name()
                : "topic://" + topic.name() + " subscription '" + durable.name() + "'";
    }

    /** Messages waiting: held, and for a durable subscription also those in its container only. */
    long pendingCount() {
        return dispatch.pendingCount() + (backlog == null ? 0 : backlog.storeOnly());
    }

    /** Messages waiting in its container only (none unless durable). */
    long pagedCount() {
        return backlog == null ? 0 : backlog.storeOnly();
    }

    int inFlightCount() {
        return dispatch.inFlightCount();
    }

    long consumedCount() {
        return consumed.get();
    }
}
