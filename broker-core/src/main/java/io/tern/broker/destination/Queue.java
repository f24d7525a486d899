package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.flow.FlowLimit;
import io.tern.broker.flow.ProducerFlow;
import io.tern.broker.paging.Backlog;
import io.tern.broker.paging.Paging;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A point-to-point destination: consumers compete for its messages. Persistent messages are added to the store
 * before they are routed and removed when they are acknowledged; the entry's sequence is its id in the store.
 * While the broker's memory budget is spent, persistent arrivals stay in the store only and are read back a page at
 * a time as consumers take the held ones ({@link Backlog}).
 */
public final class Queue implements Destination, DeliverySource {
    private static final Logger LOG = LoggerFactory.getLogger(Queue.class);

    private final String name;
    private final DuplicateAudit audit;
    private final Store store;
    private final ScheduledExecutorService scheduler;
    private final Function<String, Queue> deadLetterQueues;
    private final String expiryQueue;
    private final DeliveryTimer timer;
    private final DispatchQueue dispatch;
    private final Backlog backlog;
    private final DeliveredMark mark;
    private final Redelivery redelivery;
    private final ProducerFlow flow;
    private final ProducerFlow.Lane lane;
    private final java.util.concurrent.atomic.AtomicInteger consumers = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /**
     * @param policy           what happens to messages given back again and again
     * @param expiryQueue      where expired messages go; empty to drop them (they are counted either way)
     * @param deadLetterQueues the queue of a name, created if missing: where exhausted and expired messages go
     * @param paging           the memory budget it charges and where its pages are read
     * @param flowLimit        how far its consumers may fall behind before its producers are paced
     */
    Queue(String name, Store store, ScheduledExecutorService scheduler, RedeliveryPolicy policy,
          String expiryQueue, Function<String, Queue> deadLetterQueues, Paging paging, FlowLimit flowLimit) {
        this.name = name;
        this.audit = new DuplicateAudit(name);
        this.store = store;
        this.scheduler = scheduler;
        this.deadLetterQueues = deadLetterQueues;
        this.expiryQueue = expiryQueue;
        this.timer = new DeliveryTimer(scheduler);
        var account = paging.budget().account();
        this.flow = new ProducerFlow("queue '" + name + "'", flowLimit, scheduler);
        this.lane = flow.lane(account, consumers::get);
        account.onRelease(lane::taken);
        long recoveredMark = store.deliveredMark(name);
        if (recoveredMark != Long.MIN_VALUE) {
            // new messages are numbered above the mark, so only messages from before the restart come back flagged
            sequence.set(Math.max(1, recoveredMark + 1));
        }
        this.mark = new DeliveredMark(store, name, "queue '" + name + "'", recoveredMark, scheduler);
        this.dispatch = new DispatchQueue(this, this::expiredAtDispatch, account, mark);
        mark.resumeWith(dispatch::dispatch);
        this.backlog = new Backlog(name, "queue '" + name + "'", store, paging.budget(), account, dispatch,
                paging.pager(), e -> timer.routeAt(e.message().header().deliveryTime(), () -> dispatch.enqueue(e)));
        backlog.redeliveredUpTo(recoveredMark);
        this.redelivery = new Redelivery("queue '" + name + "'", policy, name.equals(policy.deadLetterQueue()),
                scheduler, deadLetterQueues, store, dispatch, this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PreparedSend prepare(BrokerMessage message) {
        QueueEntry entry = new QueueEntry(message, sequence.getAndIncrement());
        if (!message.persistent()) {
            return new PreparedSend(List.of(), () -> route(entry));
        }
        backlog.expect(entry.sequence());
        return new PreparedSend(List.of(new StoreBatch.Add(name, new StoredMessage(entry.sequence(),
                message.bytes()))), () -> route(entry), () -> backlog.abandon(entry.sequence()));
    }

    /**
     * A message a prepared XA branch adds, recovered from the store at start: routed when the branch commits (the
     * store holds it by then), forgotten when it rolls back.
     */
    public PreparedSend preparedAdd(StoredMessage stored) {
        QueueEntry entry = new QueueEntry(new BrokerMessage(io.tern.jms.wire.MessageEnvelope.parse(stored.envelope()),
                null), stored.id());
        backlog.expect(stored.id());
        return new PreparedSend(List.of(new StoreBatch.Add(name, stored)), () -> route(entry),
                () -> backlog.abandon(stored.id()));
    }

    /**
     * Locks a stored message a prepared XA branch removes, recovered at start: it is not dispatched until the branch
     * commits (settled) or rolls back (given back). A message in the store only (the queue pages) is read from the
     * store and taken out of its backlog. Null when the queue does not hold it at all.
     */
    public QueueEntry lockPrepared(long id) {
        QueueEntry held = dispatch.take(id);
        if (held != null) {
            return held;
        }
        QueueEntry stored = backlog.claim(id);
        // a page read may have brought it in between the two calls
        return stored != null ? stored : dispatch.take(id);
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        if (message.isExpired(System.currentTimeMillis())) {
            expired.incrementAndGet();
            if (keepsExpired()) {
                return deadLetterQueues.apply(expiryQueue).send(DeadLetters.rewrite(message, expiryQueue,
                        expiryReason(message)));
            }
            return CompletableFuture.completedFuture(null);
        }
        QueueEntry entry = new QueueEntry(message, sequence.getAndIncrement());
        if (!message.persistent()) {
            route(entry);
            return CompletableFuture.completedFuture(null);
        }
        backlog.expect(entry.sequence());
        // Concurrent store and dispatch: the store routes the message as soon as its add is written (the journal:
        // before the force; see Store#add(String, StoredMessage, Runnable)); the sender's answer still waits for the
        // returned future, the add being durable. A consumption meanwhile is written once the add is durable and
        // the sender's answer written (QueueEntry#stored, BrokerMessage#answered), so the journal holds the add
        // before its remove, and a sender that never got its answer (the broker died) finds the message still
        // stored when it sends it again: the duplicate audit recognises the copy.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        entry.storing(settled);
        AtomicBoolean routed = new AtomicBoolean();
        return store.add(name, new StoredMessage(entry.sequence(), message.bytes()), () -> {
            routed.set(true);
            route(entry);
        }).whenComplete((v, e) -> {
            message.answered().thenAccept(written -> {
                if (!written && e == null) {
                    entry.keepStored();
                }
                entry.storing(null);
                settled.complete(null);
            });
            if (e == null) {
                return;
            }
            if (routed.get()) {
                withdraw(entry.sequence(), e);
            } else {
                backlog.abandon(entry.sequence());
            }
        });
    }

    /** The store failed to add a message already routed: it is taken back unless a consumer has it already. */
    private void withdraw(long id, Throwable cause) {
        QueueEntry held = dispatch.take(id);
        if (held != null) {
            dispatch.settled(held);
            LOG.error("TERN-B0306 queue '{}': the store failed to add message {} ({}); it was withdrawn before "
                    + "delivery and its sender told", name, id, cause.toString());
        } else {
            LOG.error("TERN-B0306 queue '{}': the store failed to add message {} ({}); it was already delivered or is"
                    + " still in the store only, and its sender is told it was not sent", name, id, cause.toString());
        }
    }

    @Override
    public DuplicateAudit audit() {
        return audit;
    }

    @Override
    public ProducerFlow flow() {
        return flow;
    }

    @Override
    public Subscription subscribe(Subscriber subscriber, int prefetch, boolean noLocal, String connectionId,
                                  MessageFilter filter) {
        DispatchQueue.Attachment attachment = dispatch.attach(subscriber, prefetch, filter);
        consumers.incrementAndGet();
        lane.joined();
        dispatch.dispatch();
        return new DispatchSubscription(dispatch, attachment, () -> {
            consumers.decrementAndGet();
            lane.left();
        });
    }

    /**
     * The waiting messages {@code filter} matches, without taking them: a browser's view. The held ones come first
     * in dispatch order, then those in the store only, read a page at a time as the iterator is walked (on the
     * caller's thread).
     */
    public Iterator<QueueEntry> browse(MessageFilter filter) {
        return backlog.browse(filter);
    }

    /**
     * Rebuilds the queue from its stored messages; called once at start, before any client connects. New messages
     * are numbered above the highest stored id; only the first page is read, the rest as consumers take them.
     */
    void recover() {
        long maxId = store.maxId(name);
        if (maxId != Long.MIN_VALUE) {
            sequence.accumulateAndGet(maxId + 1, Math::max);
        }
        backlog.recover();
        audit.recover(store, name);
    }

    /** The broker is stopping cleanly: the delivered mark comes down to what was really delivered. */
    void settleDeliveredMark() {
        mark.settle();
    }

    /**
     * Drops every waiting message, held or in the store only, removing the stored ones: the queue is purged or
     * deleted. Messages out for delivery stay with their consumers.
     *
     * @return how many messages were dropped
     */
    long purge() {
        long dropped = backlog.purge();
        for (QueueEntry entry : dispatch.drain()) {
            removeFromStore(entry);
            dropped++;
        }
        return dropped;
    }

    private void route(QueueEntry entry) {
        enqueued.incrementAndGet();
        timer.routeAt(entry.message().header().deliveryTime(), () -> arrive(entry));
    }

    /** The message enters the queue: held, or left in the store only while the queue pages. */
    private void arrive(QueueEntry entry) {
        if (backlog.admit(entry)) {
            dispatch.enqueue(entry);
        }
    }

    /** Called under the dispatch lock: a move to the expiry queue runs on the scheduler, never nested in it. */
    private void expiredAtDispatch(QueueEntry entry) {
        expired.incrementAndGet();
        if (keepsExpired()) {
            scheduler.execute(() -> {
                String reason = expiryReason(entry.message());
                LOG.info("TERN-B0305 message {} of queue '{}' moved to expiry queue '{}': {}",
                        entry.message().header().messageId(), name, expiryQueue, reason);
                redelivery.move(entry, expiryQueue, reason);
            });
        } else {
            removeFromStore(entry);
        }
    }

    private boolean keepsExpired() {
        return !expiryQueue.isEmpty() && !name.equals(expiryQueue);
    }

    private static String expiryReason(BrokerMessage message) {
        return "expired at " + java.time.Instant.ofEpochMilli(message.header().expiration());
    }

    /** Takes back a delivery; see {@link Redelivery#giveBack}. */
    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
        redelivery.giveBack(entry, counted);
    }

    /** Messages this queue has moved to its dead-letter queue since start. */
    public long deadLettered() {
        return redelivery.deadLettered();
    }

    Store store() {
        return store;
    }

    @Override
    public CompletableFuture<Void> consumed(QueueEntry entry, boolean durable) {
        dispatch.settled(entry);
        consumed.incrementAndGet();
        CompletableFuture<Void> stored = entry.stored();
        return stored.isDone() ? removeFromStore(entry, durable)
                : stored.thenCompose(v -> removeFromStore(entry, durable));
    }

    @Override
    public StoreBatch.Remove storeRemoval(QueueEntry entry) {
        return entry.message().persistent() && !entry.keptStored() ? new StoreBatch.Remove(name, entry.sequence())
                : null;
    }

    @Override
    public void consumedByCommit(QueueEntry entry) {
        dispatch.settled(entry);
        consumed.incrementAndGet();
    }

    private CompletableFuture<Void> removeFromStore(QueueEntry entry) {
        return removeFromStore(entry, true);
    }

    private CompletableFuture<Void> removeFromStore(QueueEntry entry, boolean durable) {
        if (!entry.message().persistent()) {
            return CompletableFuture.completedFuture(null);
        }
        if (entry.keptStored()) {
            LOG.info("TERN-B0307 queue '{}': message {} ({}) was consumed, but the answer to its sender could not be"
                    + " written: it stays in the store, so that a copy sent again is recognised; after a restart it"
                    + " comes back flagged redelivered", name, entry.sequence(), entry.message().header().messageId());
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> removed = durable ? store.remove(name, entry.sequence())
                : store.removeAcknowledged(name, entry.sequence());
        return removed.whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("TERN-B0302 store failed to remove message {} from queue '{}': {}", entry.sequence(), name,
                        e.toString());
            }
        });
    }

    @Override
    public String describe() {
        return "queue://" + name;
    }

    @Override
    public DestinationStats stats() {
        long paged = backlog.storeOnly();
        return new DestinationStats(name, true, saturated(dispatch.pendingCount() + paged), dispatch.inFlightCount(),
                timer.held(), dispatch.consumerCount(), enqueued.get(), consumed.get(), expired.get(),
                saturated(paged));
    }

    static int saturated(long count) {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }
}
