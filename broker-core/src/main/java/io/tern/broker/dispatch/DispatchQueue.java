package io.tern.broker.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Messages waiting for consumers, in dispatch order (priority, then arrival), and the consumers competing for
 * them. Each consumer has credit: initially its prefetch, raised by CREDIT frames, lowered by one per delivery.
 * {@link #dispatch()} hands messages round-robin to consumers that have credit and are ready.
 *
 * <p>All state is guarded by this queue's own monitor; nothing here takes a broker-wide lock. Deliveries run under
 * the monitor so one consumer receives messages in dispatch order.
 */
public final class DispatchQueue {
    private final DeliverySource source;
    private final Consumer<QueueEntry> expiredHandler;
    private final TreeSet<QueueEntry> pending = new TreeSet<>(QueueEntry.DISPATCH_ORDER);
    private final List<Attachment> consumers = new ArrayList<>();
    private int nextConsumer;
    private int inFlight;

    /**
     * @param source         what deliveries are settled through
     * @param expiredHandler told about each entry dropped at dispatch because it expired; called under this
     *                       queue's lock, so it must not block
     */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler) {
        this.source = source;
        this.expiredHandler = expiredHandler;
    }

    /** A consumer's place in the queue, holding its credit. */
    public static final class Attachment {
        private final Subscriber subscriber;
        private int credit;
        private boolean attached = true;

        private Attachment(Subscriber subscriber, int credit) {
            this.subscriber = subscriber;
            this.credit = credit;
        }
    }

    public synchronized Attachment attach(Subscriber subscriber, int prefetch) {
        Attachment a = new Attachment(subscriber, Math.max(0, prefetch));
        consumers.add(a);
        return a;
    }

    /** Stops dispatching to the consumer. When this returns, no delivery to it is in progress or will start. */
    public synchronized void detach(Attachment attachment) {
        attachment.attached = false;
        consumers.remove(attachment);
    }

    public void addCredit(Attachment attachment, int credit) {
        synchronized (this) {
            if (!attachment.attached || credit <= 0) {
                return;
            }
            attachment.credit = (int) Math.min(Integer.MAX_VALUE, (long) attachment.credit + credit);
        }
        dispatch();
    }

    /** Adds a new entry and dispatches. */
    public void enqueue(QueueEntry entry) {
        synchronized (this) {
            pending.add(entry);
        }
        dispatch();
    }

    /** Takes back an entry that was out for delivery, at its original position. */
    public void giveBack(QueueEntry entry, boolean counted) {
        synchronized (this) {
            inFlight--;
            if (counted) {
                entry.countDelivery();
            }
            pending.add(entry);
        }
        dispatch();
    }

    /** An entry that was out for delivery is settled for good. */
    public synchronized void settled() {
        inFlight--;
    }

    /** Hands pending entries to consumers with credit until one or the other runs out. */
    public synchronized void dispatch() {
        long now = System.currentTimeMillis();
        while (!pending.isEmpty()) {
            Attachment consumer = nextReadyConsumer();
            if (consumer == null) {
                return;
            }
            QueueEntry entry = pending.pollFirst();
            if (entry.message().isExpired(now)) {
                expiredHandler.accept(entry);
                continue;
            }
            consumer.credit--;
            inFlight++;
            consumer.subscriber.deliver(entry, source);
        }
    }

    /** Removes and returns every pending entry (the queue is going away). */
    public synchronized List<QueueEntry> drain() {
        List<QueueEntry> all = new ArrayList<>(pending);
        pending.clear();
        return all;
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public synchronized int inFlightCount() {
        return inFlight;
    }

    public synchronized int consumerCount() {
        return consumers.size();
    }

    private Attachment nextReadyConsumer() {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            Attachment a = consumers.get(index);
            if (a.credit > 0 && a.subscriber.isReady()) {
                nextConsumer = (index + 1) % n;
                return a;
            }
        }
        return null;
    }
}
