package io.tern.broker.paging;

import io.tern.broker.dispatch.QueueEntry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker-wide budget ({@code memory-limit}) for the messages its queues and topic subscriptions hold in
 * memory: waiting for a consumer or delivered and not yet settled. Each such container charges its entries to an
 * {@link Account} of this budget when they enter it and releases them when they leave it (consumed, dropped,
 * moved). A container whose persistent messages arrive while the budget is spent keeps them in the store only
 * ({@link Backlog}).
 *
 * <p>The size charged for an entry is its envelope's bytes plus {@link #ENTRY_OVERHEAD}, an estimate of the objects
 * around it. A topic message held by several subscriptions is charged once by each (the bytes are shared,
 * so the budget overestimates). Counters are updated without a lock: a concurrent arrival may see a slightly stale
 * total, so the held bytes can pass the limit by a few messages.
 *
 * <p>Some messages cannot page: non-persistent ones, and every message a non-durable topic subscription holds (it
 * has no store to page to). The budget counts their bytes apart too ({@link #unpageableFull()}), and while they alone
 * take the whole limit, connections hold back further sends that would add such messages (the broker's
 * {@code StoreLimitGate}), so a producer to a queue nobody reads, or to a topic with a stalled subscriber, cannot
 * fill the heap.
 */
public final class MemoryBudget {
    /** Bytes charged per entry beyond its envelope: the entry, the message, its parsed header and a tree node. */
    public static final int ENTRY_OVERHEAD = 200;

    private final long limitBytes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong unpageable = new AtomicLong();

    /** @param limitBytes the bytes messages may take before containers page; at least 1 */
    public MemoryBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("memory limit " + limitBytes + " must be at least 1 byte");
        }
        this.limitBytes = limitBytes;
    }

    /** A budget that is never spent: for containers whose store is the heap anyway (temporary destinations). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** The size an entry is charged: its envelope's length plus {@link #ENTRY_OVERHEAD}. */
    public static long sizeOf(QueueEntry entry) {
        return (long) entry.message().bytes().length + ENTRY_OVERHEAD;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Bytes held now by every account of this budget. */
    public long heldBytes() {
        return held.get();
    }

    /** The most {@link #heldBytes()} has been since the broker started. */
    public long peakHeldBytes() {
        return peak.get();
    }

    /** True when the held bytes reached the limit: persistent arrivals go to paging containers' stores only. */
    public boolean exhausted() {
        return held.get() >= limitBytes;
    }

    /** Bytes held now of messages that cannot page: non-persistent ones, and those of non-durable subscriptions. */
    public long unpageableHeldBytes() {
        return unpageable.get();
    }

    /**
     * True when messages that cannot page alone hold the whole limit, so sends that would add more wait (persistent
     * messages in queues and durable subscriptions page instead and never make this true).
     */
    public boolean unpageableFull() {
        return unpageable.get() >= limitBytes;
    }

    /** A new account for a container that pages its persistent messages (a queue, a durable subscription). */
    public Account account() {
        return new Account(this, true, true);
    }

    /** A new account for a container that cannot page, persistent messages included (a non-durable subscription). */
    public Account unpageableAccount() {
        return new Account(this, true, false);
    }

    private void add(long bytes, boolean pageable) {
        if (!pageable) {
            unpageable.addAndGet(bytes);
        }
        long now = held.addAndGet(bytes);
        if (bytes > 0) {
            peak.accumulateAndGet(now, Math::max);
        }
    }

    /**
     * What one container holds, counted in its budget too (when it has one). Thread-safe. A release listener, set
     * once, hears every entry that leaves (see {@link #onRelease}).
     */
    public static final class Account {
        /** An account of no budget that counts nothing: for dispatch queues nobody measures (tests). */
        public static final Account NONE = new Account(null, false, true);

        private final MemoryBudget budget;
        private final boolean counts;
        /** Its persistent entries can page (to the container's store). */
        private final boolean pages;
        private final AtomicLong held = new AtomicLong();
        private volatile Runnable onRelease;

        private Account(MemoryBudget budget, boolean counts, boolean pages) {
            this.budget = budget;
            this.counts = counts;
            this.pages = pages;
        }

        /**
         * Sets what is told after each release (a consumer took a message, one expired or was dropped); called
         * under the container's dispatch lock, so it must be cheap and take no other lock but its own.
         */
        public void onRelease(Runnable listener) {
            this.onRelease = listener;
        }

        /** An entry entered the container. */
        public void charge(QueueEntry entry) {
            change(sizeOf(entry), entry.message().persistent());
        }

        /** An entry left the container for good. */
        public void release(QueueEntry entry) {
            change(-sizeOf(entry), entry.message().persistent());
            Runnable listener = onRelease;
            if (listener != null) {
                listener.run();
            }
        }

        private void change(long bytes, boolean persistent) {
            if (counts) {
                held.addAndGet(bytes);
            }
            if (budget != null) {
                budget.add(bytes, pages && persistent);
            }
        }

        /** Bytes this container holds now. */
        public long heldBytes() {
            return held.get();
        }
    }
}
