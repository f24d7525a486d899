package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A point-to-point destination: consumers compete for its messages. Persistent messages are added to the store
 * before they are routed and removed when they are acknowledged; the entry's sequence is its id in the store.
 */
public final class Queue implements Destination, DeliverySource {
    private static final Logger LOG = LoggerFactory.getLogger(Queue.class);

    private final String name;
    private final Store store;
    private final ScheduledExecutorService scheduler;
    private final RedeliveryPolicy policy;
    private final Function<String, Queue> deadLetterQueues;
    private final String expiryQueue;
    private final DeliveryTimer timer;
    private final DispatchQueue dispatch;
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    /**
     * @param policy           what happens to messages given back again and again
     * @param expiryQueue      where expired messages go; empty to drop them (they are counted either way)
     * @param deadLetterQueues the queue of a name, created if missing: where exhausted and expired messages go
     */
    Queue(String name, Store store, ScheduledExecutorService scheduler, RedeliveryPolicy policy,
          String expiryQueue, Function<String, Queue> deadLetterQueues) {
        this.name = name;
        this.store = store;
        this.scheduler = scheduler;
        this.policy = policy;
        this.deadLetterQueues = deadLetterQueues;
        this.expiryQueue = expiryQueue;
        this.timer = new DeliveryTimer(scheduler);
        this.dispatch = new DispatchQueue(this, this::expiredAtDispatch);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PreparedSend prepare(BrokerMessage message) {
        QueueEntry entry = new QueueEntry(message, sequence.getAndIncrement());
        List<StoreBatch.Add> adds = message.persistent()
                ? List.of(new StoreBatch.Add(name, new StoredMessage(entry.sequence(), message.bytes()))) : List.of();
        return new PreparedSend(adds, () -> route(entry));
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
        PreparedSend prepared = prepare(message);
        if (prepared.storeAdds().isEmpty()) {
            prepared.route().run();
            return CompletableFuture.completedFuture(null);
        }
        return store.add(name, prepared.storeAdds().get(0).message()).thenRun(prepared.route());
    }

    @Override
    public Subscription subscribe(Subscriber subscriber, int prefetch, boolean noLocal, String connectionId,
                                  MessageFilter filter) {
        DispatchQueue.Attachment attachment = dispatch.attach(subscriber, prefetch, filter);
        dispatch.dispatch();
        return new Subscription() {
            @Override
            public void addCredit(int credit) {
                dispatch.addCredit(attachment, credit);
            }

            @Override
            public void resume() {
                dispatch.dispatch();
            }

            @Override
            public void close() {
                dispatch.detach(attachment);
            }
        };
    }

    /** The waiting messages {@code filter} matches, in dispatch order, without taking them: a browser's view. */
    public List<QueueEntry> browse(MessageFilter filter) {
        return dispatch.snapshot(filter);
    }

    /** Rebuilds the queue from its stored messages; called once at start, before any client connects. */
    void recover() {
        store.recover(name, stored -> {
            try {
                BrokerMessage message = new BrokerMessage(MessageEnvelope.parse(stored.envelope()), null);
                sequence.accumulateAndGet(stored.id() + 1, Math::max);
                route(new QueueEntry(message, stored.id()));
            } catch (MalformedFrameException e) {
                LOG.warn("TERN-B0301 skipping stored message {} of queue '{}' during recovery: {}", stored.id(), name,
                        e.getMessage());
            }
        });
    }

    /** Drops every waiting message, removing the stored ones: the queue is being deleted. */
    void purge() {
        for (QueueEntry entry : dispatch.drain()) {
            removeFromStore(entry);
        }
    }

    private void route(QueueEntry entry) {
        enqueued.incrementAndGet();
        timer.routeAt(entry.message().header().deliveryTime(), () -> dispatch.enqueue(entry));
    }

    /** Called under the dispatch lock: a move to the expiry queue runs on the scheduler, never nested in it. */
    private void expiredAtDispatch(QueueEntry entry) {
        expired.incrementAndGet();
        if (keepsExpired()) {
            scheduler.execute(() -> {
                String reason = expiryReason(entry.message());
                LOG.info("TERN-B0305 message {} of queue '{}' moved to expiry queue '{}': {}",
                        entry.message().header().messageId(), name, expiryQueue, reason);
                move(entry, expiryQueue, reason);
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

    /**
     * Takes back a delivery. A counted one (the application saw it) goes to the dead-letter queue once the policy's
     * deliveries are used up, or waits out the redelivery delay before it is dispatched again.
     */
    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
        if (!counted) {
            dispatch.giveBack(entry, false);
            return;
        }
        if (policy.exhausted(entry.deliveryCount()) && !name.equals(policy.deadLetterQueue())) {
            deadLetter(entry, "delivered " + entry.deliveryCount() + " times without being acknowledged"
                    + " (max-deliveries " + policy.maxDeliveries() + ")");
            return;
        }
        long delay = policy.delayBefore(entry.deliveryCount() + 1);
        if (delay > 0) {
            scheduler.schedule(() -> dispatch.giveBack(entry, true), delay, TimeUnit.MILLISECONDS);
        } else {
            dispatch.giveBack(entry, true);
        }
    }

    private void deadLetter(QueueEntry entry, String reason) {
        dispatch.settled();
        deadLettered.incrementAndGet();
        LOG.warn("TERN-B0303 message {} of queue '{}' moved to dead-letter queue '{}': {}",
                entry.message().header().messageId(), name, policy.deadLetterQueue(), reason);
        move(entry, policy.deadLetterQueue(), reason);
    }

    /**
     * Moves a message this queue no longer dispatches to {@code target}, removing it here and adding it there in
     * one store batch. In the target it never expires.
     */
    private void move(QueueEntry entry, String target, String reason) {
        Queue dlq = deadLetterQueues.apply(target);
        BrokerMessage moved = DeadLetters.rewrite(entry.message(), dlq.name(), reason);
        PreparedSend prepared = dlq.prepare(moved);
        if (prepared.storeAdds().isEmpty() && !entry.message().persistent()) {
            prepared.route().run();
            return;
        }
        List<StoreBatch.Add> adds = prepared.storeAdds();
        StoreBatch.Remove remove = storeRemoval(entry);
        List<StoreBatch.Remove> removes = remove == null ? List.of() : List.of(remove);
        CompletableFuture<Void> stored = dlq.store == store
                ? store.commit(new StoreBatch(adds, removes))
                : dlq.store.commit(new StoreBatch(adds, List.of())).thenCompose(v ->
                        store.commit(new StoreBatch(List.of(), removes)));
        stored.whenComplete((v, e) -> {
            if (e == null) {
                prepared.route().run();
            } else {
                LOG.error("TERN-B0304 store failed to move message {} from queue '{}' to '{}'; it stays where it"
                        + " was: {}", entry.message().header().messageId(), name, dlq.name(), e.toString());
                dispatch.enqueue(entry);
            }
        });
    }

    /** Messages this queue has moved to its dead-letter queue since start. */
    public long deadLettered() {
        return deadLettered.get();
    }

    @Override
    public CompletableFuture<Void> consumed(QueueEntry entry) {
        dispatch.settled();
        consumed.incrementAndGet();
        return removeFromStore(entry);
    }

    @Override
    public StoreBatch.Remove storeRemoval(QueueEntry entry) {
        return entry.message().persistent() ? new StoreBatch.Remove(name, entry.sequence()) : null;
    }

    @Override
    public void consumedByCommit(QueueEntry entry) {
        dispatch.settled();
        consumed.incrementAndGet();
    }

    private CompletableFuture<Void> removeFromStore(QueueEntry entry) {
        if (!entry.message().persistent()) {
            return CompletableFuture.completedFuture(null);
        }
        return store.remove(name, entry.sequence()).whenComplete((v, e) -> {
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
        return new DestinationStats(name, true, dispatch.pendingCount(), dispatch.inFlightCount(), timer.held(),
                dispatch.consumerCount(), enqueued.get(), consumed.get(), expired.get());
    }
}
