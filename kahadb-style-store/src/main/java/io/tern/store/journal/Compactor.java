package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees data files kept only by a few live records, so that one unconsumed message never pins gigabytes of
 * journal. A file is compacted when it is not one of the {@value #KEEP_NEWEST} newest, its live records (messages,
 * durable subscriptions, prepared branches, delivered marks) take less than {@code journal.compact-below-percent}
 * of it, and once they are gone the {@link FileCollector} could delete it: every older file its records cancel is
 * gone already, or the kept checkpoints come after it (otherwise it could not go anyway; compacting the oldest first
 * lets a whole chain of such files go). Its live records are written again at the head of the journal: a message as
 * a MOVE record, a subscription as a SUBSCRIBE, a prepared branch as a PREPARE with its old sequence number, a
 * delivered mark as a MARK. Each rewrite cancels the older copy like a remove, so the old file empties and the
 * collector deletes it.
 *
 * <p>Threads: the writer thread picks a file after each batch ({@link #afterBatch}); this class's own thread finds
 * the file's live records under the store's lock, reads them without it, and rewrites those still live under the
 * lock again. So a record removed before its rewrite is submitted is not rewritten, and a remove after it is
 * written after the rewrite in the journal and cancels the moved copy. A moved message's index entry becomes
 * pending on the rewrite as it is submitted ({@link MessageIndex#relocate(String, long, Location, MessageRef)}),
 * only if it is still where it was found; the rewrite's callback records where it landed, unless the message was
 * removed meanwhile (a removed entry is not brought back, and its remove learned from the pending entry which copy
 * it cancels). One file at a time.
 *
 * <p>A file still being consumed is left alone: only once its live records have stayed the same for
 * {@link #QUIET_MILLIS} is it compacted. Without that rule, draining a backlog wrote a few percent of it again (each
 * file's last tenth, moments before its consumers took it). When the rule alone holds a file back, the compactor's
 * thread asks the writer for another look once the quiet time has passed ({@link GroupCommitWriter#barrier}), so an
 * idle journal still gets compacted.
 */
final class Compactor implements AutoCloseable {
    /** The newest files are never compacted: what was written lately is likely consumed soon. */
    static final int KEEP_NEWEST = 2;
    /**
     * A file whose live records fell less than this long ago is not compacted: someone is consuming it, and what
     * is left of it will likely be consumed soon too (a drain empties each file from front to back).
     */
    static final long QUIET_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    /** Test hooks around a compaction; both run on the compactor's thread, without the store's lock. */
    interface Listener {
        /** The file's live records were found and read; none is rewritten yet. */
        default void read(int file) {
        }

        /** The rewrites were submitted to the writer; they may not be written yet. */
        default void submitted(int file) {
        }
    }

    private final Journal journal;
    private final GroupCommitWriter writer;
    private final FileReferences references;
    private final MessageIndex index;
    private final SubscriptionIndex subscriptions;
    private final PreparedBranches branches;
    private final MarkIndex marks;
    private final FileCollector collector;
    private final Object mutex;
    private final BooleanSupplier writable;
    private final Runnable changed;
    private final int percent;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Messages written again at the head of the journal since the store opened. */
    private final AtomicLong movedMessages = new AtomicLong();
    /** A look after the quiet time is scheduled ({@link #lookAgainLater}). */
    private final AtomicBoolean lookScheduled = new AtomicBoolean();
    /**
     * Files below the threshold, each with its live record count when it was last seen to change and the time of
     * that ({@link System#nanoTime}). Writer thread.
     */
    private final Map<Integer, long[]> lastChange = new HashMap<>();
    private volatile long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
    /** Files whose compaction failed: not tried again until the store reopens. */
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    private volatile Listener listener = new Listener() {
    };

    /**
     * @param collector whose rule (and checkpoint floors) decide whether a file could go once emptied
     * @param mutex     the store's lock, which orders index changes and writer submissions
     * @param writable  under the lock: true while the store accepts writes
     * @param changed   under the lock, once per rewrite submitted: the store's state changed (for checkpoints)
     * @param percent   {@code journal.compact-below-percent}; 0 turns compaction off
     */
    Compactor(Journal journal, GroupCommitWriter writer, FileReferences references, MessageIndex index,
              SubscriptionIndex subscriptions, PreparedBranches branches, MarkIndex marks, FileCollector collector,
              Object mutex, BooleanSupplier writable, Runnable changed, int percent, String name) {
        this.journal = journal;
        this.writer = writer;
        this.references = references;
        this.index = index;
        this.subscriptions = subscriptions;
        this.branches = branches;
        this.marks = marks;
        this.collector = collector;
        this.mutex = mutex;
        this.writable = writable;
        this.changed = changed;
        this.percent = percent;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tern-journal-compact-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
    }

    /** For tests: how long a file's live records must stay the same before it is compacted (0: at once). */
    void quietMillis(long millis) {
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Messages compaction wrote again at the head of the journal since the store opened (tests). */
    long moved() {
        return movedMessages.get();
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    /** Writer thread, after each batch and the collector: starts compacting a file when one is worth it. */
    void afterBatch() {
        if (percent == 0 || busy.get()) {
            return;
        }
        int file = pick(System.nanoTime());
        if (file < 0) {
            return;
        }
        busy.set(true);
        try {
            thread.execute(() -> compact(file));
        } catch (RejectedExecutionException closing) {
            busy.set(false);
        }
    }

    /** The oldest file worth compacting, or -1. Writer thread. */
    private int pick(long now) {
        int current = journal.currentNumber();
        int newest = current - KEEP_NEWEST;
        int[] floors = collector.floors();
        if (!lastChange.isEmpty()) {
            lastChange.keySet().removeIf(f -> !journal.contains(f));
        }
        boolean heldBack = false;
        for (int file : journal.fileNumbers()) {
            if (file > newest) {
                break;
            }
            int live = references.live(file);
            if (live == 0 || failed.contains(file)
                    || references.liveBytes(file) * 100 >= (long) percent * journal.size(file)) {
                continue;
            }
            // worth it only when the file could go once its live records are moved
            if (!FileCollector.deletable(file, current, 0, references.cancelledIn(file), journal::contains,
                    floors)) {
                continue;
            }
            if (quiet(file, live, now)) {
                return file;
            }
            heldBack = true;
        }
        if (heldBack) {
            lookAgainLater();
        }
        return -1;
    }

    /** Whether {@code file}'s live records, {@code live} now, have stayed the same for the quiet time. */
    private boolean quiet(int file, int live, long now) {
        if (quietNanos == 0) {
            return true;
        }
        long[] seen = lastChange.get(file);
        if (seen == null || seen[0] != live) {
            lastChange.put(file, new long[] {live, now});
            return false;
        }
        return now - seen[1] >= quietNanos;
    }

    /**
     * Once the quiet time has passed, has the writer run a batch (an empty barrier) and so this class's
     * {@link #afterBatch}: without it a journal that went idle right after a drain would keep its last files.
     */
    private void lookAgainLater() {
        if (!lookScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.schedule(() -> {
                lookScheduled.set(false);
                writer.barrier(at -> null);
            }, quietNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            lookScheduled.set(false);
        }
    }

    private void compact(int file) {
        boolean submitted = false;
        try {
            submitted = rewriteLiveRecords(file);
        } catch (IOException | RuntimeException e) {
            failed.add(file);
            LOG.warn("TERN-J0051 cannot compact journal file {}: {}; it stays until its records are consumed",
                    JournalFile.name(file), e.toString());
        } finally {
            if (!submitted) {
                busy.set(false);
            }
        }
    }

    /** One live record of the file being compacted, read and ready to be written again. */
    private interface Rewrite {
        /** Under the lock: true when the record is still live, as it was found. */
        boolean live();

        /** Under the lock, when live: the record to write, after the index is told about it. */
        RecordCodec.Encoded record();

        /** Writer thread: the record is written at {@code at}. */
        void written(RecordCodec.Encoded record, Location at);
    }

    /** @return true when rewrites were submitted (the last one's callback ends this compaction) */
    private boolean rewriteLiveRecords(int file) throws IOException {
        List<Rewrite> found = new ArrayList<>();
        List<MessageFound> messages = new ArrayList<>();
        List<SubscriptionIndex.Entry> entries = new ArrayList<>();
        List<MarkIndex.Entry> marksThere = new ArrayList<>();
        List<PreparedBranches.Branch> branchesThere;
        synchronized (mutex) {
            index.forEachInFile(file, (queue, id, at) -> messages.add(new MessageFound(queue, id, at)));
            for (SubscriptionIndex.Entry entry : subscriptions.entries()) {
                if (entry.file == file) {
                    entries.add(entry);
                }
            }
            for (MarkIndex.Entry mark : marks.entries()) {
                if (mark.file == file) {
                    marksThere.add(mark);
                }
            }
            branchesThere = branches.inFile(file);
        }
        for (MessageFound m : messages) {
            byte[] envelope = read(m.from, () -> m.from.equals(index.location(m.queue, m.id)));
            if (envelope != null) {
                found.add(moveMessage(m, envelope));
            }
        }
        entries.forEach(entry -> found.add(resubscribe(entry)));
        marksThere.forEach(mark -> found.add(remark(mark)));
        for (PreparedBranches.Branch branch : branchesThere) {
            Rewrite rewrite = reprepare(branch);
            if (rewrite != null) {
                found.add(rewrite);
            }
        }
        listener.read(file);
        long size = journal.size(file);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        long[] bytes = {0};
        synchronized (mutex) {
            if (!writable.getAsBoolean()) {
                return false;
            }
            List<Rewrite> live = found.stream().filter(Rewrite::live).toList();
            for (int i = 0; i < live.size(); i++) {
                Rewrite rewrite = live.get(i);
                RecordCodec.Encoded record = rewrite.record();
                changed.run();
                bytes[0] += record.bytes().remaining();
                boolean last = i == live.size() - 1;
                writes.add(writer.submit(record.bytes(), at -> {
                    rewrite.written(record, at);
                    if (last) {
                        busy.set(false);
                    }
                }));
            }
        }
        listener.submitted(file);
        if (writes.isEmpty()) {
            return false;
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((v, failure) -> {
            if (failure == null) {
                LOG.info("TERN-J0050 compacted journal file {}: moved its {} live record(s) ({} bytes) to the "
                                + "head of the journal; deleting it frees {} bytes", JournalFile.name(file),
                        writes.size(), bytes[0], Math.max(0, size - bytes[0]));
            }
        });
        return true;
    }

    /** The envelope at {@code from}; null when it stopped being live (and its file may be gone) meanwhile. */
    private byte[] read(Location from, BooleanSupplier live) throws IOException {
        try {
            return journal.read(from);
        } catch (IOException e) {
            if (!live.getAsBoolean()) {
                return null;
            }
            throw e;
        }
    }

    private record MessageFound(String queue, long id, Location from) {
    }

    private Rewrite moveMessage(MessageFound m, byte[] envelope) {
        return new Rewrite() {
            /** The index entry while the MOVE is not written: reads use the envelope read here. */
            private final MessageRef moved = MessageRef.pending(envelope);

            @Override
            public boolean live() {
                return m.from.equals(index.location(m.queue, m.id));
            }

            @Override
            public RecordCodec.Encoded record() {
                if (!index.relocate(m.queue, m.id, m.from, moved)) {
                    throw new IllegalStateException("message " + m.id + " of queue '" + m.queue + "' moved from "
                            + m.from + " while the store's lock was held");
                }
                return RecordCodec.move(m.queue, m.id, envelope);
            }

            @Override
            public void written(RecordCodec.Encoded record, Location at) {
                Location to = new Location(at.file(), at.offset() + record.envelopeOffsets()[0], envelope.length);
                moved.written(to);
                index.written(m.queue, m.id, moved); // nothing when it was removed meanwhile
                references.removed(m.from.file(), FileReferences.messageBytes(m.queue, m.from), at.file());
                references.added(at.file(), FileReferences.messageBytes(m.queue, to));
                movedMessages.incrementAndGet();
            }
        };
    }

    private Rewrite resubscribe(SubscriptionIndex.Entry entry) {
        return new Rewrite() {
            private final SubscriptionIndex.Entry moved = new SubscriptionIndex.Entry(entry.subscription, -1, 0);

            @Override
            public boolean live() {
                return subscriptions.get(entry.subscription.container()) == entry;
            }

            @Override
            public RecordCodec.Encoded record() {
                subscriptions.put(moved);
                return RecordCodec.subscribe(entry.subscription);
            }

            @Override
            public void written(RecordCodec.Encoded record, Location at) {
                moved.written(entry, at, references);
            }
        };
    }

    /** A delivered mark's MARK again: the same container and id. */
    private Rewrite remark(MarkIndex.Entry entry) {
        return new Rewrite() {
            private final MarkIndex.Entry moved = new MarkIndex.Entry(entry.container, entry.id, -1, 0);

            @Override
            public boolean live() {
                return marks.get(entry.container) == entry;
            }

            @Override
            public RecordCodec.Encoded record() {
                marks.put(moved);
                return RecordCodec.mark(entry.container, entry.id);
            }

            @Override
            public void written(RecordCodec.Encoded record, Location at) {
                moved.written(entry, at, references);
            }
        };
    }

    /** A prepared branch's PREPARE again, same identity and sequence; null when it completed while being read. */
    private Rewrite reprepare(PreparedBranches.Branch branch) throws IOException {
        List<StoreBatch.Add> adds = new ArrayList<>(branch.adds.size());
        for (PreparedBranches.Add add : branch.adds) {
            byte[] envelope = read(add.ref().location(), () -> branches.get(branch.xid) == branch);
            if (envelope == null) {
                return null;
            }
            adds.add(new StoreBatch.Add(add.queue(), new StoredMessage(add.id(), envelope)));
        }
        RecordCodec.Encoded encoded = RecordCodec.prepare(branch.xid, branch.sequence, adds, branch.removes);
        return new Rewrite() {
            @Override
            public boolean live() {
                return branches.get(branch.xid) == branch;
            }

            @Override
            public RecordCodec.Encoded record() {
                return encoded;
            }

            @Override
            public void written(RecordCodec.Encoded record, Location at) {
                branch.written(record, at, references);
            }
        };
    }

    /** Stops the compactor's thread; a compaction under way finishes or finds the store closed. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("TERN-J0052 journal compaction did not finish within 10 s of close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: true while a compaction is under way. */
    boolean busy() {
        return busy.get();
    }
}
