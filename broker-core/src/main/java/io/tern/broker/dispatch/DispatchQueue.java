package io.tern.broker.dispatch;

import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.selector.MessageFilter;
import java.util.ArrayList;
import java.util.Collection;
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
 * <p><b>Paging.</b> The entries held here are charged to a {@link MemoryBudget.Account} from the moment they enter
 * until they are settled, dropped or drained. When its container pages (see {@link io.tern.broker.paging.Backlog}),
 * persistent entries with a sequence above the <em>horizon</em> (the highest id paged in) are ones read ahead of
 * the window for selective consumers; a consumer takes such an entry only once the store below it was scanned for
 * that consumer (its {@code scannedUpTo}), so no consumer sees a persistent message before an earlier one it would
 * match that is still in the store. A {@link DemandListener} hears after each dispatch pass how much is waiting.
 *
 * <p>All state is guarded by this queue's own monitor; nothing here takes a broker-wide lock or does I/O.
 * Deliveries run under the monitor so one consumer receives messages in dispatch order.
 */
public final class DispatchQueue {
    private final DeliverySource source;
    private final Consumer<QueueEntry> expiredHandler;
    private final MemoryBudget.Account account;
    private final DeliveryGate gate;
    /** The last dispatch pass stopped at an entry the gate held back; it dispatches again when the gate opens. */
    private boolean gated;
    private final TreeSet<QueueEntry> pending = new TreeSet<>(QueueEntry.DISPATCH_ORDER);
    private final List<Attachment> consumers = new ArrayList<>();
    private final Map<String, Attachment> groupOwners = new HashMap<>();
    private int nextConsumer;
    private int inFlight;
    /** Persistent entries above it were read ahead of the paged-in window; {@code MAX_VALUE} when not paging. */
    private long horizon = Long.MAX_VALUE;
    private DemandListener demandListener;

    /** A dispatch queue whose entries are charged to no budget. */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler) {
        this(source, expiredHandler, MemoryBudget.Account.NONE);
    }

    /**
     * @param source         what deliveries are settled through
     * @param expiredHandler told about each entry dropped at dispatch because it expired; called under this
     *                       queue's lock, so it must not block
     * @param account        what the entries held here are charged to
     */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler, MemoryBudget.Account account) {
        this(source, expiredHandler, account, DeliveryGate.OPEN);
    }

    /**
     * @param gate asked before each delivery; when it refuses an entry, dispatch stops until it calls
     *             {@link #dispatch()} again (the entry keeps its place)
     */
    public DispatchQueue(DeliverySource source, Consumer<QueueEntry> expiredHandler, MemoryBudget.Account account,
                         DeliveryGate gate) {
        this.source = source;
        this.expiredHandler = expiredHandler;
        this.account = account;
        this.gate = gate;
    }

    /**
     * Told at the end of every dispatch pass that has consumers, under this queue's lock: it must only take note
     * and hand work to another thread.
     */
    @FunctionalInterface
    public interface DemandListener {
        /**
         * @param pending entries waiting here
         * @param hungry  a consumer with credit found nothing it may take
         */
        void demand(int pending, boolean hungry);
    }

    /** What the consumers want now, for a pager deciding what to read. */
    public record Demand(int pending, int consumers, boolean hungry, long scanFrom) {
    }

    /** Sets the listener told after each dispatch pass; call once, before consumers attach. */
    public synchronized void demandListener(DemandListener listener) {
        this.demandListener = listener;
    }

    /** A consumer's place in the queue, holding its credit, its filter and its scan cursor. */
    public static final class Attachment {
        private final Subscriber subscriber;
        private final MessageFilter filter;
        private int credit;
        private boolean attached = true;
        /** Every pending entry ordered at or before this one is known not to match; null when none is known. */
        private QueueEntry lastRejected;
        /** Every stored message up to this id that this consumer may take was read ahead into memory. */
        private long scannedUpTo = Long.MIN_VALUE;

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
            forgetCursors();
        }
    }

    private void forgetCursors() {
        for (Attachment a : consumers) {
            a.lastRejected = null;
            a.scannedUpTo = Long.MIN_VALUE;
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

    /** The consumer's credit drops to zero; under the dispatch lock, so no delivery to it is in progress after. */
    public synchronized void pause(Attachment attachment) {
        attachment.credit = 0;
    }

    /** Adds a new entry (charging it) and dispatches. */
    public void enqueue(QueueEntry entry) {
        synchronized (this) {
            account.charge(entry);
            add(entry);
        }
        dispatch();
    }

    /** Adds new entries (charging them) without dispatching: the caller dispatches when it is out of its lock. */
    public synchronized void addAll(Collection<QueueEntry> entries) {
        for (QueueEntry entry : entries) {
            account.charge(entry);
            add(entry);
        }
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

    /**
     * Takes the pending entry with {@code sequence} out of dispatch as if it were out for delivery (it stays charged
     * and is settled or given back later): a message a prepared XA branch consumed, found again after a restart.
     *
     * @return the entry, or null when no pending entry has that sequence
     */
    public synchronized QueueEntry take(long sequence) {
        for (java.util.Iterator<QueueEntry> it = pending.iterator(); it.hasNext(); ) {
            QueueEntry e = it.next();
            if (e.sequence() == sequence) {
                it.remove();
                inFlight++;
                forgetCursors();
                return e;
            }
        }
        return null;
    }

    /**
     * Takes as out for delivery an entry that was never pending here (read from the store by its backlog for a
     * prepared transaction recovered at start): it is charged and counted in flight like a delivered entry, so
     * {@link #settled} or {@link #giveBack} ends it the same way.
     */
    public synchronized void adopt(QueueEntry entry) {
        inFlight++;
        account.charge(entry);
    }

    /** An entry that was out for delivery is settled for good: it leaves this queue (and its account). */
    public synchronized void settled(QueueEntry entry) {
        inFlight--;
        account.release(entry);
    }

    /**
     * Hands pending entries to consumers with credit until no consumer with credit matches a pending entry. Turns
     * go round-robin: after a delivery, the search starts at the next consumer. Then tells the demand listener.
     */
    public synchronized void dispatch() {
        long now = System.currentTimeMillis();
        gated = false;
        while (!pending.isEmpty() && deliverToNext(now)) {
            // one delivery per turn
        }
        if (demandListener != null && !consumers.isEmpty()) {
            demandListener.demand(pending.size(), anyHungry());
        }
    }

    /**
     * True when a consumer has credit and is ready: after a dispatch pass, it found nothing it may take. Not while
     * the gate holds an entry back: the consumers have something to take, it just may not go yet.
     */
    private boolean anyHungry() {
        if (gated) {
            return false;
        }
        for (Attachment a : consumers) {
            if (a.credit > 0 && a.subscriber.isReady()) {
                return true;
            }
        }
        return false;
    }

    /** What the consumers want now; {@code scanFrom} is the lowest read-ahead cursor of a hungry consumer. */
    public synchronized Demand demand() {
        if (gated) {
            return new Demand(pending.size(), consumers.size(), false, Long.MAX_VALUE);
        }
        boolean hungry = false;
        long scanFrom = Long.MAX_VALUE;
        for (Attachment a : consumers) {
            if (a.credit > 0 && a.subscriber.isReady()) {
                hungry = true;
                scanFrom = Math.min(scanFrom, a.scannedUpTo);
            }
        }
        return new Demand(pending.size(), consumers.size(), hungry, scanFrom);
    }

    /** Persistent entries with a higher sequence were read ahead of the window; {@code MAX_VALUE}: no paging. */
    public synchronized void horizon(long horizon) {
        this.horizon = horizon;
    }

    /**
     * Chooses, among stored messages read ahead of the window (in increasing sequence, none of them held here),
     * those a hungry consumer (one with credit that found nothing it may take) would take: at most
     * {@code maxPerConsumer} and its credit per consumer, each the first matches above that consumer's read-ahead
     * cursor. Each hungry consumer's cursor then moves to the last candidate it looked at, or to {@code scannedTo}
     * (the last stored id the caller read) when it wants more. Nothing is added: the caller adds the chosen ones.
     *
     * <p>Only a consumer whose cursor (or the horizon) is at least {@code from}, where the read began, takes part:
     * for one further back, the stored messages between its cursor and {@code from} were not read for it, and one
     * of them may be a match it must get first. Such a consumer (one that got credit or attached after the read was
     * planned) is read for by a later pass, which starts at its cursor.
     *
     * @param from the stored id the read started after
     */
    public synchronized List<QueueEntry> pickAhead(List<QueueEntry> candidates, long from, long scannedTo,
                                                int maxPerConsumer) {
        List<Attachment> hungry = new ArrayList<>();
        for (Attachment a : consumers) {
            if (a.credit > 0 && a.subscriber.isReady() && Math.max(a.scannedUpTo, horizon) >= from) {
                hungry.add(a);
            }
        }
        int[] quota = new int[hungry.size()];
        for (int i = 0; i < quota.length; i++) {
            quota[i] = Math.min(hungry.get(i).credit, maxPerConsumer);
        }
        long now = System.currentTimeMillis();
        List<QueueEntry> picked = new ArrayList<>();
        for (QueueEntry e : candidates) {
            if (e.message().isExpired(now)) {
                continue; // dropped when the window reaches it
            }
            for (int i = 0; i < quota.length; i++) {
                Attachment a = hungry.get(i);
                if (quota[i] > 0 && e.sequence() > a.scannedUpTo && groupAllows(a, e) && a.matches(e)) {
                    picked.add(e);
                    if (--quota[i] == 0) {
                        a.scannedUpTo = e.sequence();
                    }
                    break;
                }
            }
        }
        for (int i = 0; i < quota.length; i++) {
            if (quota[i] > 0) {
                hungry.get(i).scannedUpTo = Math.max(hungry.get(i).scannedUpTo, scannedTo);
            }
        }
        return picked;
    }

    /** True when {@code a} may not take {@code entry} yet: it was read ahead of the window, not for {@code a}. */
    private boolean aheadOfWindow(Attachment a, QueueEntry entry) {
        return entry.sequence() > horizon && entry.sequence() > a.scannedUpTo && entry.message().persistent();
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
                gated = true;
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
                forgetCursors();
            }
        } else {
            groupOwners.putIfAbsent(group, a);
        }
    }

    /**
     * Removes and returns the first pending entry after the consumer's cursor that its filter matches, or null.
     * Expired entries met on the way are removed and reported. The cursor does not pass an entry the consumer may
     * not take yet because it lies ahead of the window: that one is tested again later.
     */
    private QueueEntry takeFirstMatch(Attachment a, long now) {
        Iterator<QueueEntry> it = (a.lastRejected == null ? pending : pending.tailSet(a.lastRejected, false))
                .iterator();
        boolean cursorHeld = false;
        while (it.hasNext()) {
            QueueEntry entry = it.next();
            if (entry.message().isExpired(now)) {
                it.remove();
                account.release(entry);
                expiredHandler.accept(entry);
            } else if (aheadOfWindow(a, entry)) {
                cursorHeld = true;
            } else if (groupAllows(a, entry) && a.matches(entry)) {
                it.remove();
                return entry;
            } else if (!cursorHeld) {
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

    /** Removes and returns every pending entry (the queue is going away or purged), releasing them. */
    public synchronized List<QueueEntry> drain() {
        List<QueueEntry> all = new ArrayList<>(pending);
        pending.clear();
        all.forEach(account::release);
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
