package io.tern.broker.paging;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a store-backed container (a queue, a durable subscription) that is in its store only: the paging
 * half of its {@link DispatchQueue}.
 *
 * <p><b>Modes.</b> A container is <em>in memory</em> (every waiting message is held by its dispatch queue) until a
 * persistent message arrives while the {@link MemoryBudget} is spent or the container holds half of it. Then it
 * <em>pages</em>: that message and every later persistent arrival are in the store only, and the container
 * remembers that messages with ids above {@code pagedInUpTo} may be there. Store ids are arrival order, so reading
 * the store upwards from {@code pagedInUpTo} keeps arrival order. Non-persistent messages are always held.
 *
 * <p><b>Page in.</b> When the dispatch queue has consumers and fewer than a page of waiting messages (or a consumer
 * with credit found nothing it may take), one task at a time on the pager executor reads the next page with
 * {@link Store#recover(String, long, int, Consumer)}, off every lock, and adds it to the dispatch queue. When a page
 * comes back short and no persistent message went to the store only since the read began, the container is in
 * memory again. Decisions about arrivals and pages are taken under this backlog's lock, which is taken before (never
 * inside) the dispatch queue's.
 *
 * <p><b>Read ahead.</b> When the window held is full of messages the hungry consumers do not match (selectors,
 * groups) and the budget leaves no room for another page, the pager reads the store beyond the window and brings in
 * only the messages a hungry consumer would take, at most its credit, remembering their ids so the window skips
 * them later. Each consumer keeps a cursor of how far the store was read for it; the dispatch queue gives it no
 * read-ahead message above its cursor, so it never sees a persistent message before an earlier one it matches. The
 * cost: each read-ahead reads whole pages from the store (bodies included) and evaluates the hungry consumers'
 * selectors on them; a selector that matches little walks the backlog.
 *
 * <p><b>Messages in transit.</b> A persistent message is in the store before it arrives here (a send's store write,
 * a transaction's commit, a delivery delay). Its id is {@link #expect expected} before the store write and pages
 * skip it until it {@link #admit arrives} or is {@link #abandon abandoned}; an arrival at or below
 * {@code pagedInUpTo} is always held.
 */
public final class Backlog implements DispatchQueue.DemandListener {
    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);
    /** The most messages one page read takes. */
    static final int MAX_PAGE = 1000;
    /** A container that starts paging again within this time of its last INFO line logs at DEBUG. */
    private static final long QUIET_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final String container;
    private final String description;
    private final Store store;
    private final MemoryBudget budget;
    private final MemoryBudget.Account account;
    private final DispatchQueue dispatch;
    private final Executor pager;
    private final Consumer<QueueEntry> scheduleLater;
    private final Object lock = new Object();

    private volatile boolean paging;
    private volatile long storeOnly;
    private boolean closed;
    /** Changes whenever paging starts, stops or is reset: a page read before that is discarded. */
    private long generation;
    private long pagedInUpTo = Long.MIN_VALUE;
    private long highestHeld = Long.MIN_VALUE;
    private long highestStoreOnly = Long.MIN_VALUE;
    private long storeOnlyArrivals;
    private long pagedInSinceStart;
    private long scanEnd = Long.MAX_VALUE;
    private long scanEndArrivals = -1;
    private long lastStartLoggedAt = System.nanoTime() - QUIET_NANOS;
    private boolean startLogged;
    private volatile long entryEstimate = 1024 + MemoryBudget.ENTRY_OVERHEAD;
    private final NavigableSet<Long> readAhead = new TreeSet<>();
    private final Set<Long> inTransit = new HashSet<>();

    private volatile boolean wanted;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param container     the store container: the queue's name or the subscription's container
     * @param description   what it is, for log lines: {@code queue 'orders'}
     * @param account       the account of {@code budget} the dispatch queue charges
     * @param pager         where page reads run; never a Netty event loop
     * @param scheduleLater takes a paged-in entry whose delivery time is still ahead and adds it to the dispatch
     *                      queue when it comes
     */
    private volatile long redeliveredUpTo = Long.MIN_VALUE;

    public Backlog(String container, String description, Store store, MemoryBudget budget,
                   MemoryBudget.Account account, DispatchQueue dispatch, Executor pager,
                   Consumer<QueueEntry> scheduleLater) {
        this.container = container;
        this.description = description;
        this.store = store;
        this.budget = budget;
        this.account = account;
        this.dispatch = dispatch;
        this.pager = pager;
        this.scheduleLater = scheduleLater;
        dispatch.demandListener(this);
    }

    /**
     * Stored messages with ids up to {@code id} may have been delivered before the broker restarted (the store's
     * delivered mark): when read back they carry delivery count 2, so consumers see JMSRedelivered. Call before
     * {@link #recover()}.
     */
    public void redeliveredUpTo(long id) {
        this.redeliveredUpTo = id;
    }

    /** True while some of the container's persistent messages are in the store only. */
    public boolean isPaging() {
        return paging;
    }

    /** Messages of the container in the store only: waiting, but not held. */
    public long storeOnly() {
        return Math.max(0, storeOnly);
    }

    /** A persistent message with this id is about to be stored for the container; pages skip it until it arrives. */
    public void expect(long id) {
        synchronized (lock) {
            inTransit.add(id);
        }
    }

    /**
     * Takes a message that is in the store only out of the backlog, as out for delivery: a prepared XA branch
     * recovered at start consumed it, so no consumer may get it until the branch completes (a commit removes it, a
     * rollback gives it back). Pages skip it from now on.
     *
     * @return its entry, read from the store; null when it is not in the store only (held, or gone)
     */
    public QueueEntry claim(long id) {
        synchronized (lock) {
            if (!paging || id <= pagedInUpTo || readAhead.contains(id)) {
                return null;
            }
        }
        java.util.Optional<StoredMessage> stored = store.read(container, id);
        Read r = stored.isEmpty() ? null : Read.of(stored.get(), redeliveredUpTo);
        if (r == null || r.entry == null) {
            return null;
        }
        synchronized (lock) {
            if (!paging || id <= pagedInUpTo || readAhead.contains(id)) {
                return null;
            }
            readAhead.add(id);
            storeOnly--;
            dispatch.adopt(r.entry);
            return r.entry;
        }
    }

    /** An expected message will not arrive (its transaction rolled back, its store write failed). */
    public void abandon(long id) {
        synchronized (lock) {
            inTransit.remove(id);
        }
    }

    /**
     * A message arrives (stored already when persistent). True: the caller adds it to the dispatch queue. False: it
     * stays in the store only, to be paged in later.
     */
    public boolean admit(QueueEntry entry) {
        long id = entry.sequence();
        synchronized (lock) {
            inTransit.remove(id);
            observe(MemoryBudget.sizeOf(entry));
            if (closed || !entry.message().persistent()) {
                return true;
            }
            if (!paging && (budget.exhausted()
                    || account.heldBytes() + MemoryBudget.sizeOf(entry) > budget.limitBytes() / 2)) {
                startPaging();
            }
            if (!paging || id <= pagedInUpTo) {
                highestHeld = Math.max(highestHeld, id);
                return true;
            }
            storeOnly++;
            storeOnlyArrivals++;
            highestStoreOnly = Math.max(highestStoreOnly, id);
        }
        if (wanted) {
            request();
        }
        return false;
    }

    /** Called by the dispatch queue after each pass, under its lock: notes the demand and wakes the pager. */
    @Override
    public void demand(int pending, boolean hungry) {
        boolean want = hungry || pending < pageSize();
        wanted = want;
        if (want && paging) {
            request();
        }
    }

    /**
     * Rebuilds the container at start: its stored messages stay in the store and only the first page is read and
     * held. Call once, before consumers attach.
     */
    public void recover() {
        long count = store.count(container);
        if (count <= 0) {
            return;
        }
        long gen;
        long arrivals;
        synchronized (lock) {
            paging = true;
            generation++;
            gen = generation;
            arrivals = storeOnlyArrivals;
            storeOnly = count;
            highestStoreOnly = Math.max(highestStoreOnly, store.maxId(container));
        }
        int max = pageSize();
        List<Read> page = read(Long.MIN_VALUE, max);
        if (page != null) {
            pageIn(page, max, gen, arrivals, false);
        }
        synchronized (lock) {
            if (paging) {
                startLogged = true;
                lastStartLoggedAt = System.nanoTime();
                LOG.info("TERN-B0601 {} pages: {} stored message(s), the first {} held in memory and the rest read"
                        + " from the store as consumers take them (memory-limit {} bytes)", description, count,
                        dispatch.pendingCount(), budget.limitBytes());
            }
        }
    }

    /**
     * The waiting messages {@code filter} matches, without taking them: the held ones in dispatch order, then the
     * ones in the store only, read a page at a time as the iterator is walked. Messages whose delivery time is
     * still ahead are left out, as are expired ones.
     */
    public Iterator<QueueEntry> browse(MessageFilter filter) {
        List<QueueEntry> held;
        long after;
        Set<Long> skip;
        synchronized (lock) {
            held = dispatch.snapshot(filter);
            if (!paging) {
                return held.iterator();
            }
            after = pagedInUpTo;
            skip = new HashSet<>(readAhead);
            skip.addAll(inTransit);
        }
        return new StoredBrowse(held.iterator(), store, container, description, after, skip, filter, pageSize());
    }

    /**
     * Removes from the store every message the container has in the store only (the held ones are the caller's
     * to drain): the queue is purged or deleted. Messages arriving meanwhile are kept.
     *
     * @return how many were removed
     */
    public long purge() {
        long after;
        long bound;
        Set<Long> skip;
        synchronized (lock) {
            if (!paging) {
                return 0;
            }
            after = pagedInUpTo;
            bound = highestStoreOnly;
            skip = new HashSet<>(readAhead);
            skip.addAll(inTransit);
            stopPaging(false);
            highestHeld = Math.max(highestHeld, bound);
        }
        long removed = 0;
        while (true) {
            List<StoreBatch.Remove> removes = new ArrayList<>();
            long[] last = {after};
            int read = store.recover(container, after, MAX_PAGE, m -> {
                last[0] = m.id();
                if (m.id() <= bound && !skip.contains(m.id())) {
                    removes.add(new StoreBatch.Remove(container, m.id()));
                }
            });
            if (!removes.isEmpty()) {
                int n = removes.size();
                store.commit(new StoreBatch(List.of(), removes)).whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.error("TERN-B0605 store failed to remove {} purged message(s) of {}: {}", n,
                                description, e.toString());
                    }
                });
                removed += n;
            }
            if (read < MAX_PAGE || last[0] >= bound) {
                return removed;
            }
            after = last[0];
        }
    }

    /** The container is gone (its subscription deleted, its store container removed): page nothing more. */
    public void close() {
        synchronized (lock) {
            closed = true;
            if (paging) {
                stopPaging(false);
            }
        }
    }

    /** Wakes the pager: one task at a time, which plans again until there is nothing to do. */
    private void request() {
        requested.set(true);
        if (running.compareAndSet(false, true)) {
            try {
                pager.execute(this::run);
            } catch (RejectedExecutionException e) {
                running.set(false); // the broker is stopping
            }
        }
    }

    private void run() {
        boolean again;
        try {
            requested.set(false);
            again = pageOnce();
        } finally {
            running.set(false);
        }
        if (again || requested.get()) {
            request();
        }
    }

    /** Plans and does one page read: a page into the window, or a read ahead for hungry consumers. */
    private boolean pageOnce() {
        DispatchQueue.Demand d = dispatch.demand();
        int max = pageSize();
        long from;
        boolean ahead;
        long gen;
        long arrivals;
        synchronized (lock) {
            if (!paging || closed || d.consumers() == 0) {
                wanted = false;
                return false;
            }
            long pageBytes = (long) max * entryEstimate;
            boolean room = budget.heldBytes() + pageBytes <= budget.limitBytes()
                    && account.heldBytes() + pageBytes <= budget.limitBytes() / 2;
            if ((d.pending() < max && (d.pending() == 0 || room)) || (d.hungry() && room)) {
                ahead = false;
                from = pagedInUpTo;
            } else if (d.hungry()) {
                ahead = true;
                from = Math.max(pagedInUpTo, d.scanFrom());
                if (from >= scanEnd && storeOnlyArrivals == scanEndArrivals) {
                    return false; // read to the end for these consumers already, and nothing new was stored
                }
            } else {
                wanted = false;
                return false;
            }
            gen = generation;
            arrivals = storeOnlyArrivals;
        }
        List<Read> page = read(from, max);
        if (page == null) {
            return false;
        }
        return ahead ? readAhead(page, from, max, gen, arrivals) : pageIn(page, max, gen, arrivals, true);
    }

    /** Adds a page read above {@code pagedInUpTo} to the window; stops paging when it was the last. */
    private boolean pageIn(List<Read> page, int max, long gen, long arrivalsAtRead, boolean logStop) {
        List<QueueEntry> now = new ArrayList<>();
        List<QueueEntry> later = new ArrayList<>();
        List<Read> malformed = new ArrayList<>();
        boolean stillPaging;
        synchronized (lock) {
            if (gen != generation) {
                return paging;
            }
            long wallClock = System.currentTimeMillis();
            for (Read r : page) {
                if (inTransit.contains(r.id) || readAhead.contains(r.id)) {
                    continue;
                }
                storeOnly--;
                if (r.entry == null) {
                    malformed.add(r);
                } else {
                    observe(MemoryBudget.sizeOf(r.entry));
                    pagedInSinceStart++;
                    (r.entry.message().header().deliveryTime() > wallClock ? later : now).add(r.entry);
                }
            }
            if (!page.isEmpty()) {
                pagedInUpTo = page.get(page.size() - 1).id;
                readAhead.headSet(pagedInUpTo, true).clear();
                highestHeld = Math.max(highestHeld, pagedInUpTo);
                dispatch.horizon(pagedInUpTo);
            }
            dispatch.addAll(now);
            if (page.size() < max && storeOnlyArrivals == arrivalsAtRead) {
                stopPaging(logStop);
            }
            stillPaging = paging;
        }
        settleMalformed(malformed);
        later.forEach(scheduleLater);
        dispatch.dispatch();
        return stillPaging && !page.isEmpty() && now.isEmpty();
    }

    /** Brings in the messages of a page read beyond the window that hungry consumers would take. */
    private boolean readAhead(List<Read> page, long from, int max, long gen, long arrivalsAtRead) {
        List<QueueEntry> picked;
        List<Read> malformed = new ArrayList<>();
        synchronized (lock) {
            if (gen != generation) {
                return paging;
            }
            long wallClock = System.currentTimeMillis();
            List<QueueEntry> candidates = new ArrayList<>();
            for (Read r : page) {
                if (r.id <= pagedInUpTo || inTransit.contains(r.id) || readAhead.contains(r.id)) {
                    continue;
                }
                if (r.entry == null) {
                    malformed.add(r);
                    readAhead.add(r.id);
                    storeOnly--;
                } else if (r.entry.message().header().deliveryTime() <= wallClock) {
                    candidates.add(r.entry);
                }
            }
            long scannedTo = page.isEmpty() ? from : page.get(page.size() - 1).id;
            picked = dispatch.pickAhead(candidates, from, scannedTo, max);
            for (QueueEntry e : picked) {
                readAhead.add(e.sequence());
                storeOnly--;
                pagedInSinceStart++;
            }
            dispatch.addAll(picked);
            if (page.size() < max) {
                scanEnd = scannedTo;
                scanEndArrivals = arrivalsAtRead;
            }
        }
        settleMalformed(malformed);
        dispatch.dispatch();
        return page.size() == max;
    }

    /** Reads one page and parses it, off every lock; null when the store failed (logged; retried on demand). */
    private List<Read> read(long after, int max) {
        List<Read> page = new ArrayList<>(Math.min(max, 64));
        try {
            store.recover(container, after, max, m -> page.add(Read.of(m, redeliveredUpTo)));
        } catch (RuntimeException e) {
            LOG.warn("TERN-B0604 could not read the stored messages of {} after id {}: {}; it is tried again when"
                    + " consumers ask", description, after, e.toString());
            return null;
        }
        return page;
    }

    private void settleMalformed(List<Read> malformed) {
        for (Read r : malformed) {
            LOG.warn("TERN-B0603 skipping stored message {} of {}: its envelope cannot be parsed ({}); it is removed"
                    + " from the store", r.id, description, r.problem);
            store.remove(container, r.id);
        }
    }

    /** Under the lock. */
    private void startPaging() {
        paging = true;
        generation++;
        pagedInUpTo = highestHeld;
        readAhead.clear();
        scanEnd = Long.MAX_VALUE;
        pagedInSinceStart = 0;
        dispatch.horizon(pagedInUpTo);
        long now = System.nanoTime();
        startLogged = now - lastStartLoggedAt >= QUIET_NANOS;
        if (startLogged) {
            lastStartLoggedAt = now;
        }
        String line = "TERN-B0601 {} pages: it holds {} bytes and the broker {} of memory-limit {} bytes; later"
                + " persistent messages stay in the store until consumers catch up";
        if (startLogged) {
            LOG.info(line, description, account.heldBytes(), budget.heldBytes(), budget.limitBytes());
        } else {
            LOG.debug(line, description, account.heldBytes(), budget.heldBytes(), budget.limitBytes());
        }
    }

    /** Under the lock. */
    private void stopPaging(boolean log) {
        paging = false;
        generation++;
        if (!readAhead.isEmpty()) {
            highestHeld = Math.max(highestHeld, readAhead.last());
        }
        highestHeld = Math.max(highestHeld, pagedInUpTo);
        readAhead.clear();
        storeOnly = 0;
        dispatch.horizon(Long.MAX_VALUE);
        String line = "TERN-B0602 {} is back in memory: every waiting message is held ({} bytes); {} message(s)"
                + " were read from the store while it paged";
        if (log && startLogged) {
            LOG.info(line, description, account.heldBytes(), pagedInSinceStart);
        } else if (log) {
            LOG.debug(line, description, account.heldBytes(), pagedInSinceStart);
        }
    }

    /** Under the lock: a running estimate of an entry's size, for page sizes. */
    private void observe(long size) {
        entryEstimate = (entryEstimate * 7 + size) / 8;
    }

    /** Messages per page: about a quarter of the budget, 1 to {@link #MAX_PAGE}. */
    private int pageSize() {
        long estimate = Math.max(1, entryEstimate);
        return (int) Math.max(1, Math.min(MAX_PAGE, budget.limitBytes() / 4 / estimate));
    }

    /** One stored message read back: its entry, or null with the problem when its envelope is malformed. */
    private record Read(long id, QueueEntry entry, String problem) {
        /** @param redeliveredUpTo stored ids up to this one may have been delivered before a restart */
        static Read of(StoredMessage m, long redeliveredUpTo) {
            try {
                return new Read(m.id(), new QueueEntry(new BrokerMessage(MessageEnvelope.parse(m.envelope()), null),
                        m.id(), m.id() <= redeliveredUpTo ? 2 : 1), null);
            } catch (MalformedFrameException e) {
                return new Read(m.id(), null, e.getMessage());
            }
        }
    }
}
