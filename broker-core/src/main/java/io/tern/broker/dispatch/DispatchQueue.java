package io.tern.broker.dispatch;

import io.tern.broker.selector.MessageFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Messages waiting for consumers, in dispatch order (priority, then arrival), and the consumers competing for
 * them. Each consumer has credit: initially its prefetch, raised by CREDIT frames, lowered by one per delivery.
 * {@link #dispatch()} hands messages round-robin to consumers that have credit and are ready.
 *
 * <p><b>Selectors.</b> Each consumer has a {@link MessageFilter}; it is given only entries its filter matches, the
 * first such entry in dispatch order. An entry no current consumer matches stays in its place for later
 * consumers. Round-robin turns pass over consumers that match nothing pending, so fairness holds among those that
 * match. To avoid re-evaluating a selector against the same entries on every dispatch, each consumer keeps a
 * cursor, the last entry its filter rejected: every pending entry up to the cursor is known not to match it, so
 * its next search starts after the cursor. An entry added at or before a cursor (a higher priority arrival, an
 * entry given back) is tested against that consumer when it is added, and moves the cursor back if it matches.
 * So each entry is evaluated about once per selective consumer; a consumer without a selector takes the first
 * entry at no cost. The price is the scan itself: a selective consumer whose matches lie behind N non-matching
 * entries walks those N once (O(N log N) with the tree), and an arrival costs one evaluation per selective
 * consumer whose cursor lies after it. The scan is not bounded, so a matching entry is never stranded behind
 * non-matching ones. Evaluation runs under this queue's lock.
 *
 * <p>Message groups: the first message of a JMSXGroupID goes to a consumer that takes it, and from then on every
 * message of that group goes to that consumer only, while it is attached (the standard way to keep order among
 * competing consumers). When it detaches, or a message with JMSXGroupSeq -1 closes the group, the group is free
 * again and the next message of it may go to any consumer.
 *
 * <p>All state is guarded by this queue's own monitor; nothing here takes a broker-wide lock. Deliveries run under
 * the monitor so one consumer receives messages in dispatch order.
 */
public final class DispatchQueue {
    private final DeliverySource source;
    private final Consumer<QueueEntry> expiredHandler;
    private final DeliveryGate gate;
    private final TreeSet<QueueEntry> pending = new TreeSet<>(QueueEntry.DISPATCH_ORDER);
    private final List<Attachment> consumers = new ArrayList<>();
    private final Map<String, Attachment> groupOwners = new HashMap<>();
    private int nextConsumer;
    private int inFlight;

    /**
     * @param source         what deliveries are settled through
     * @param expiredHandler told about each entry dropped at dispatch because it expired; called under this
     *                       queue's lock, so it must not block
     */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler) {
        this(source, expiredHandler, DeliveryGate.OPEN);
    }

    /**
     * @param gate asked before each delivery; when it refuses an entry, dispatch stops until it calls
     *             {@link #dispatch()} again (the entry keeps its place)
     */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler, DeliveryGate gate) {
        this.source = source;
        this.expiredHandler = expiredHandler;
        this.gate = gate;
    }

    /** A consumer's place in the queue, holding its credit, its filter and its scan cursor. */
    public static final class Attachment {
        private final Subscriber subscriber;
        private final MessageFilter filter;
        private int credit;
        private boolean attached = true;
        /** Every pending entry ordered at or before this one is known not to match; null when none is known. */
        private QueueEntry lastRejected;

        private Attachment(Subscriber subscriber, int credit, MessageFilter filter) {
            this.subscriber = subscriber;
            this.credit = credit;
            this.filter = filter;
        }

        private boolean matches(QueueEntry entry) {
            return filter.matches(entry.message(), entry.deliveryCount());
        }
    }

    /** True when the entry's group, if any, is free or already belongs to {@code a}. */
    private boolean groupAllows(Attachment a, QueueEntry entry) {
        String group = entry.group();
        if (group == null) {
            return true;
        }
        Attachment owner = groupOwners.get(group);
        return owner == null || owner == a;
    }

    /** Attaches a consumer that takes every message. */
    public Attachment attach(Subscriber subscriber, int prefetch) {
        return attach(subscriber, prefetch, MessageFilter.ALL);
    }

    /** Attaches a consumer that takes only the messages {@code filter} matches. */
    public synchronized Attachment attach(Subscriber subscriber, int prefetch, MessageFilter filter) {
        Attachment a = new Attachment(subscriber, Math.max(0, prefetch), filter);
        consumers.add(a);
        return a;
    }

    /** Stops dispatching to the consumer. When this returns, no delivery to it is in progress or will start. */
    public synchronized void detach(Attachment attachment) {
        attachment.attached = false;
        consumers.remove(attachment);
        if (groupOwners.values().removeIf(owner -> owner == attachment)) {
            // the freed groups' messages may now go to consumers that passed them over
            consumers.forEach(a -> a.lastRejected = null);
        }
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
            add(entry);
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
            add(entry);
        }
        dispatch();
    }

    /** An entry that was out for delivery is settled for good. */
    public synchronized void settled() {
        inFlight--;
    }

    /**
     * Hands pending entries to consumers with credit until no consumer with credit matches a pending entry. Turns
     * go round-robin: after a delivery, the search starts at the next consumer.
     */
    public synchronized void dispatch() {
        long now = System.currentTimeMillis();
        while (!pending.isEmpty() && deliverToNext(now)) {
            // one delivery per turn
        }
    }

    /** Gives one entry to the next consumer in turn that has credit, is ready and matches one; false if none. */
    private boolean deliverToNext(long now) {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            Attachment a = consumers.get(index);
            if (a.credit <= 0 || !a.subscriber.isReady()) {
                continue;
            }
            QueueEntry entry = takeFirstMatch(a, now);
            if (entry != null && !gate.admits(entry)) {
                pending.add(entry);
                return false;
            }
            if (entry != null) {
                nextConsumer = (index + 1) % n;
                a.credit--;
                inFlight++;
                claimGroup(a, entry);
                a.subscriber.deliver(entry, source);
                return true;
            }
        }
        return false;
    }

    private void claimGroup(Attachment a, QueueEntry entry) {
        String group = entry.group();
        if (group == null) {
            return;
        }
        if (entry.closesGroup()) {
            if (groupOwners.remove(group) != null) {
                consumers.forEach(c -> c.lastRejected = null);
            }
        } else {
            groupOwners.putIfAbsent(group, a);
        }
    }

    /**
     * Removes and returns the first pending entry after the consumer's cursor that its filter matches, or null.
     * Expired entries met on the way are removed and reported.
     */
    private QueueEntry takeFirstMatch(Attachment a, long now) {
        Iterator<QueueEntry> it = (a.lastRejected == null ? pending : pending.tailSet(a.lastRejected, false))
                .iterator();
        while (it.hasNext()) {
            QueueEntry entry = it.next();
            if (entry.message().isExpired(now)) {
                it.remove();
                expiredHandler.accept(entry);
            } else if (groupAllows(a, entry) && a.matches(entry)) {
                it.remove();
                return entry;
            } else {
                a.lastRejected = entry;
            }
        }
        return null;
    }

    /** Adds an entry; a consumer whose cursor lies at or after it tests it now, so its cursor stays true. */
    private void add(QueueEntry entry) {
        pending.add(entry);
        for (Attachment a : consumers) {
            if (a.lastRejected != null && QueueEntry.DISPATCH_ORDER.compare(entry, a.lastRejected) <= 0
                    && groupAllows(a, entry) && a.matches(entry)) {
                a.lastRejected = pending.lower(entry);
            }
        }
    }

    /**
     * The pending entries {@code filter} matches, in dispatch order, left in place: what a browser sees. Expired
     * entries are left out (dispatch drops them).
     */
    public synchronized List<QueueEntry> snapshot(MessageFilter filter) {
        long now = System.currentTimeMillis();
        List<QueueEntry> matching = new ArrayList<>();
        for (QueueEntry e : pending) {
            if (!e.message().isExpired(now) && filter.matches(e.message(), e.deliveryCount())) {
                matching.add(e);
            }
        }
        return matching;
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
}
