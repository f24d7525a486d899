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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
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
    private final DeliveryTimer timer;
    private final DispatchQueue dispatch;
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    Queue(String name, Store store, ScheduledExecutorService scheduler) {
        this.name = name;
        this.store = store;
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
        StoreBatch.Add add = message.persistent()
                ? new StoreBatch.Add(name, new StoredMessage(entry.sequence(), message.bytes())) : null;
        return new PreparedSend(add, () -> route(entry));
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        if (message.isExpired(System.currentTimeMillis())) {
            expired.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }
        PreparedSend prepared = prepare(message);
        if (prepared.storeAdd() == null) {
            prepared.route().run();
            return CompletableFuture.completedFuture(null);
        }
        return store.add(name, prepared.storeAdd().message()).thenRun(prepared.route());
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

    private void route(QueueEntry entry) {
        enqueued.incrementAndGet();
        timer.routeAt(entry.message().header().deliveryTime(), () -> dispatch.enqueue(entry));
    }

    private void expiredAtDispatch(QueueEntry entry) {
        expired.incrementAndGet();
        removeFromStore(entry);
    }

    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
        dispatch.giveBack(entry, counted);
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
