package io.tern.store.journal;

import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The journal store: an append-only journal of data files ({@code db-N.log}) in one directory, written by one
 * {@link GroupCommitWriter}, with an in-memory {@link MessageIndex} of where each live message's envelope is (about
 * 20 bytes a message), a {@link SubscriptionIndex} of the durable subscriptions, the {@link PreparedBranches} of XA
 * transactions and the containers' delivered marks ({@link MarkIndex}). Bodies are read back from the files, never
 * kept on the heap once written. The {@link FileCollector} deletes files nothing needs; the {@link Compactor} empties
 * old files that only a few live records keep. A {@link Checkpointer} writes all of that state to a checkpoint file
 * every {@code journal.checkpoint-interval-ms} when something changed, and on close, so a restart replays only the
 * journal written after the last checkpoint.
 *
 * <pre>{@code
 * try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
 *     store.add("orders", new StoredMessage(1, envelope)).join(); // durable (policy always)
 * }
 * }</pre>
 *
 * <p>Ordering: every change takes the store's lock, updates the index and hands its record to the writer before
 * releasing it, so the journal holds changes in the order the index saw them (an add always before its remove).
 * A checkpoint's snapshot is taken under the same lock, with a writer barrier queued right behind the records
 * submitted so far: the snapshot reflects exactly the records before the barrier's journal position.
 * A failed write leaves the store refusing writes: every later write fails with the first failure.
 */
public final class JournalStore implements Store {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalStore.class);
    private final Path dir;
    private final JournalOptions options;
    private final DirectoryLock lock;
    private final MessageIndex index;
    private final SubscriptionIndex subscriptions;
    private final PreparedBranches branches;
    private final MarkIndex marks;
    private final Journal journal;
    private final GroupCommitWriter writer;
    private final RecoveryReport report;
    /** Changed on the writer thread only (after construction): in onWritten callbacks, by the GC and compaction. */
    private final FileReferences references;
    private final FileCollector collector;
    private final Checkpointer checkpointer;
    private final Compactor compactor;
    private final Object mutex = new Object();
    /** Records submitted since the store opened, plus those recovery replayed; guarded by the mutex. */
    private long changes;
    private volatile boolean closed;

    private JournalStore(Path dir, JournalOptions options, DirectoryLock lock, Recovery.Result recovered) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.index = recovered.index();
        this.subscriptions = recovered.subscriptions();
        this.branches = recovered.branches();
        this.marks = recovered.marks();
        this.report = recovered.report();
        this.references = recovered.references();
        this.journal = new Journal(dir, options.maxFileSize(), recovered.files(), recovered.nextNumber(),
                recovered.appendFloor(), options.sync() == SyncPolicy.ALWAYS);
        this.changes = report.records();
        this.collector = new FileCollector(journal, references);
        collector.floors(Checkpointer.floors(recovered.checkpoints()));
        collector.collect();
        String name = dir.getFileName() == null ? "journal" : dir.getFileName().toString();
        this.writer = new GroupCommitWriter(journal, options.sync(), options.syncIntervalMs(), options.spinMicros(),
                name, () -> {
            collector.collect();
            Compactor c = compactor();
            if (c != null) {
                c.afterBatch();
            }
        });
        this.compactor = new Compactor(journal, writer, references, index, subscriptions, branches, marks,
                collector, mutex, () -> refuseWrite() == null, () -> changes++, options.compactBelowPercent(),
                name);
        this.checkpointer = new Checkpointer(dir, this::capture, writer, collector, options.checkpointIntervalMs(),
                name, recovered.checkpoints(), recovered.nextCheckpointSequence(), 0);
        checkpointer.start();
    }

    /**
     * Opens (creating it if needed) the journal in {@code dir}, locks it and recovers its content.
     *
     * @throws JournalException when the directory is locked by another store, holds files of another format
     *                          version, or cannot be read
     */
    public static JournalStore open(Path dir, JournalOptions options) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create journal directory " + dir + ": " + e, e);
        }
        return open(dir, options, DirectoryLock.acquire(dir));
    }

    /**
     * Opens the journal in {@code dir}, whose lock the caller has taken (a broker that waited for it as a standby);
     * the store releases it when it closes, or at once when it cannot open.
     */
    static JournalStore open(Path dir, JournalOptions options, DirectoryLock lock) {
        try {
            return new JournalStore(dir, options, lock, Recovery.run(dir));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Under the mutex: a checkpoint's snapshot and the barrier that completes it; see {@link Checkpointer}. Which
     * messages, subscriptions, branches and marks exist is taken here; the files their records are in (set by the
     * writer's callbacks, and by compaction's rewrites in place for a branch) are read at the barrier, where exactly
     * the records before its position are written.
     */
    private Checkpointer.Capture capture(long since, boolean evenIfUnchanged,
                                         Consumer<JournalPosition> atBarrier) {
        synchronized (mutex) {
            if ((changes == since && !evenIfUnchanged) || writer.failure() != null) {
                return null;
            }
            MessageIndex.Snapshot messages = index.snapshot();
            List<SubscriptionIndex.Entry> subscribed = subscriptions.entries();
            List<PreparedBranches.Branch> prepared = branches.list();
            long lastSequence = branches.lastSequence();
            List<MarkIndex.Entry> marked = marks.entries();
            CompletableFuture<Checkpoint> checkpoint = writer.barrier(at -> {
                atBarrier.accept(at);
                List<SubscriptionIndex.Entry> subscriptionCopies = new ArrayList<>(subscribed.size());
                for (SubscriptionIndex.Entry e : subscribed) {
                    if (e.file < 0) {
                        throw new IllegalStateException("subscription " + e.subscription.container()
                                + " has no data file at the checkpoint's barrier");
                    }
                    subscriptionCopies.add(new SubscriptionIndex.Entry(e.subscription, e.file, e.bytes));
                }
                return new Checkpoint(at, messages, subscriptionCopies,
                        prepared.stream().map(PreparedBranches.Branch::copy).toList(), lastSequence,
                        marked.stream().map(MarkIndex.Entry::copy).toList(), references.snapshot());
            });
            return new Checkpointer.Capture(changes, checkpoint);
        }
    }

    /**
     * Writes a checkpoint now if anything changed since the last one (tests; the store takes them by itself).
     *
     * @return the checkpoint file, or null when none was needed
     */
    Path checkpoint() throws IOException {
        checkOpen();
        return checkpointer.checkpoint();
    }

    @Override
    public String kind() {
        return "journal";
    }

    /**
     * Every write updates the in-memory index under the store's mutex (held only for in-memory work, also by a
     * checkpoint's capture and compaction's scans) and queues its record for the writer thread, which does the I/O.
     */
    @Override
    public boolean submitsWithoutBlocking() {
        return true;
    }

    @Override
    public CompletableFuture<Void> add(String queue, StoredMessage message) {
        return add(queue, message, null);
    }

    /**
     * {@code written} runs on the writer's completion thread once the ADD record is written to its file (the
     * operating system holds it: a kill -9 of the broker keeps it), while the writer forces it; any remove submitted
     * afterwards is written after it.
     */
    @Override
    public CompletableFuture<Void> add(String queue, StoredMessage message, Runnable written) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.add(queue, message.id(), message.envelope());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        int envelopeOffset = record.envelopeOffsets()[0];
        int envelopeLength = message.envelope().length;
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            long id = message.id();
            if (index.contains(queue, id) || branches.claims(queue, id)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "queue '" + queue + "' already holds message " + id));
            }
            MessageRef ref = MessageRef.pending(message.envelope());
            index.putPending(queue, id, ref, envelopeLength);
            changes++;
            return writer.submit(record.bytes(), at -> {
                Location location = new Location(at.file(), at.offset() + envelopeOffset, envelopeLength);
                ref.written(location);
                index.written(queue, id, ref);
                references.added(at.file(), FileReferences.messageBytes(queue, location));
            }, written);
        }
    }

    @Override
    public CompletableFuture<Void> remove(String queue, long id) {
        return remove(queue, id, true);
    }

    /**
     * Writes the REMOVE in journal order, after the message's ADD, but without a force of its own: it rides the next
     * batch that is forced (the next persistent send, a delivered mark, a checkpoint's barrier, the close). One force
     * fewer per consumed message; a crash before that force brings the message back, and the delivered mark (forced
     * before the delivery) flags it redelivered.
     */
    @Override
    public CompletableFuture<Void> removeAcknowledged(String queue, long id) {
        return remove(queue, id, false);
    }

    private CompletableFuture<Void> remove(String queue, long id, boolean force) {
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            MessageRef ref = index.remove(queue, id);
            if (ref == null) {
                return CompletableFuture.completedFuture(null);
            }
            changes++;
            ByteBuffer record = RecordCodec.remove(queue, id).bytes();
            Consumer<Location> onWritten = at -> removed(queue, ref, at.file());
            // quick dependents: an acknowledgement's answer, a log line
            return force ? writer.submit(record, onWritten, null) : writer.submitUnforced(record, onWritten);
        }
    }

    @Override
    public CompletableFuture<Void> commit(StoreBatch batch) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.tx(batch.adds(), batch.removes());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            Set<String> seen = new HashSet<>();
            for (StoreBatch.Add add : batch.adds()) {
                long id = add.message().id();
                if (index.contains(add.queue(), id) || branches.claims(add.queue(), id)
                        || !seen.add(id + "/" + add.queue())) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("queue '" + add.queue()
                            + "' already holds message " + id + "; batch not applied"));
                }
            }
            List<MessageRef> added = new ArrayList<>(batch.adds().size());
            for (StoreBatch.Add add : batch.adds()) {
                MessageRef ref = MessageRef.pending(add.message().envelope());
                index.putPending(add.queue(), add.message().id(), ref, add.message().envelope().length);
                added.add(ref);
            }
            List<Removed> removed = removeAll(batch.removes());
            int[] offsets = record.envelopeOffsets();
            changes++;
            return writer.submit(record.bytes(), at -> {
                for (int i = 0; i < added.size(); i++) {
                    StoreBatch.Add add = batch.adds().get(i);
                    Location location = new Location(at.file(), at.offset() + offsets[i],
                            add.message().envelope().length);
                    added.get(i).written(location);
                    index.written(add.queue(), add.message().id(), added.get(i));
                    references.added(at.file(), FileReferences.messageBytes(add.queue(), location));
                }
                removed.forEach(r -> removed(r.queue, r.ref, at.file()));
            });
        }
    }

    @Override
    public Optional<StoredMessage> read(String queue, long id) {
        checkOpen();
        MessageRef ref = index.get(queue, id);
        if (ref == null) {
            return Optional.empty();
        }
        byte[] envelope = envelope(queue, id, ref);
        return envelope == null ? Optional.empty() : Optional.of(new StoredMessage(id, envelope));
    }

    @Override
    public Set<String> queueNames() {
        checkOpen();
        return index.queueNames();
    }

    @Override
    public int recover(String queue, long afterId, int max, Consumer<StoredMessage> visitor) {
        checkOpen();
        int prefix = recordPrefix(queue);
        int passed = 0;
        long after = afterId;
        while (passed < max) {
            int asked = max - passed;
            List<QueueIndex.Entry> page = index.after(queue, after, asked);
            Location[] locations = new Location[page.size()];
            int i = 0;
            while (i < page.size()) {
                int end = runEnd(page, i, prefix, locations);
                byte[][] envelopes = end - i > 1 ? readRun(locations, i, end, prefix) : null;
                for (int k = i; k < end; k++) {
                    QueueIndex.Entry e = page.get(k);
                    byte[] envelope = envelopes != null ? envelopes[k - i] : envelope(queue, e.id(), e.ref(), prefix);
                    if (envelope != null) {
                        visitor.accept(new StoredMessage(e.id(), envelope));
                        passed++;
                    }
                }
                i = end;
            }
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).id();
            }
            if (page.size() < asked) {
                break;
            }
        }
        return passed;
    }

    /**
     * The end (exclusive) of the run of {@code page}'s entries from {@code from} whose records
     * {@link Journal#readCheckedRun} can read at once, their locations stored in {@code locations}; {@code from + 1}
     * when the entry at {@code from} starts no run (it is not written yet, say).
     */
    private static int runEnd(List<QueueIndex.Entry> page, int from, int prefix, Location[] locations) {
        Location first = page.get(from).ref().location();
        if (first == null) {
            return from + 1;
        }
        locations[from] = first;
        long runEnd = first.offset() + first.length();
        int i = from + 1;
        for (; i < page.size(); i++) {
            Location next = page.get(i).ref().location();
            if (next == null || !Journal.readsAsOneRun(first, runEnd, next, prefix)) {
                break;
            }
            locations[i] = next;
            runEnd = Math.max(runEnd, next.offset() + next.length());
        }
        return i;
    }

    /**
     * The envelopes of a run, read at once; null when that read fails or a record in it fails its checksum, and the
     * run's messages are then read one by one, which finds where each is now (compaction may have moved it) and
     * reports and removes a damaged one.
     */
    private byte[][] readRun(Location[] locations, int from, int to, int prefix) {
        try {
            return journal.readCheckedRun(locations, from, to, prefix);
        } catch (IOException e) {
            return null;
        }
    }

    /** The highest id the queue holds or a prepared branch adds to it. */
    @Override
    public long maxId(String queue) {
        checkOpen();
        return Math.max(index.maxId(queue), branches.maxId(queue));
    }

    @Override
    public long count(String queue) {
        checkOpen();
        return index.count(queue);
    }

    /**
     * Writes one MARK record: one small record in the writer's next group commit, nothing more. The record keeps
     * its file until a later mark of the container (or an UNSUBSCRIBE of it) replaces it; that one's file must then
     * outlive it.
     */
    @Override
    public CompletableFuture<Void> markDelivered(String queue, long upToId) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.mark(queue, upToId);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            MarkIndex.Entry entry = new MarkIndex.Entry(queue, upToId, -1, 0);
            MarkIndex.Entry replaced = marks.put(entry);
            changes++;
            return writer.submit(record.bytes(), at -> entry.written(replaced, at, references));
        }
    }

    @Override
    public long deliveredMark(String queue) {
        checkOpen();
        MarkIndex.Entry entry = marks.get(queue);
        return entry == null ? Long.MIN_VALUE : entry.id;
    }

    /**
     * One line per data file, oldest first, saying what keeps it: its live messages by destination (with their
     * ids), the durable subscriptions, prepared branches and delivered marks recorded in it, the older files it must
     * outlive (unless the kept checkpoints come after it), and whether it is the file being written. The same lines
     * {@code ./tern journal why} prints for the directory once the store is closed.
     */
    @Override
    public List<String> describeSpace() {
        checkOpen();
        return FileUsage.describe(journal.fileNumbers(), journal.currentNumber(), index, subscriptions, branches,
                marks, references, collector.floors());
    }

    /**
     * Writes one PREPARE record holding the branch's adds (with their envelopes) and removes. The adds stay out of
     * the index, so they are not read, recovered or counted, but they claim their ids. The record's file is kept
     * while the branch lives.
     */
    @Override
    public CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch) {
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            if (xid.length > 0 && branches.get(xid) != null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("transaction branch "
                        + PreparedBranches.hex(xid) + " is prepared already"));
            }
            Set<String> seen = new HashSet<>();
            for (StoreBatch.Add add : batch.adds()) {
                long id = add.message().id();
                if (index.contains(add.queue(), id) || branches.claims(add.queue(), id)
                        || !seen.add(id + "/" + add.queue())) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("queue '" + add.queue()
                            + "' already holds message " + id + "; branch not prepared"));
                }
            }
            long sequence = branches.nextSequence();
            RecordCodec.Encoded record;
            try {
                record = RecordCodec.prepare(xid, sequence, batch.adds(), batch.removes());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
            List<PreparedBranches.Add> adds = new ArrayList<>(batch.adds().size());
            for (StoreBatch.Add add : batch.adds()) {
                adds.add(new PreparedBranches.Add(add.queue(), add.message().id(),
                        MessageRef.pending(add.message().envelope())));
            }
            PreparedBranches.Branch branch = new PreparedBranches.Branch(xid, sequence, adds, batch.removes(), -1, 0);
            branches.put(branch);
            changes++;
            return writer.submit(record.bytes(), at -> branch.written(record, at, references));
        }
    }

    /**
     * Writes one COMMIT_PREPARED record and applies the branch: its adds enter the index (their envelopes stay in
     * the PREPARE record, whose file they keep like any add), its removes remove what is still there. The adds are
     * pending on the branch's own refs until the COMMIT_PREPARED is written: a compaction rewrite of the PREPARE
     * submitted before this call is written before it and moves them, and a remove of one meanwhile learns from its
     * ref where it ended up.
     */
    @Override
    public CompletableFuture<Void> commitPrepared(byte[] xid) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.commitPrepared(xid);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(notPrepared(xid));
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            PreparedBranches.Branch branch = branches.remove(xid);
            if (branch == null) {
                return CompletableFuture.failedFuture(notPrepared(xid));
            }
            List<Removed> replaced = new ArrayList<>();
            for (PreparedBranches.Add add : branch.adds) {
                MessageRef earlier = index.remove(add.queue(), add.id());
                if (earlier != null) {
                    replaced.add(new Removed(add.queue(), earlier));
                }
                index.putPending(add.queue(), add.id(), add.ref(), envelopeLength(add.ref()));
            }
            List<Removed> removed = removeAll(branch.removes);
            changes++;
            return writer.submit(record.bytes(), at -> {
                replaced.forEach(r -> removed(r.queue, r.ref, at.file()));
                for (PreparedBranches.Add add : branch.adds) {
                    index.written(add.queue(), add.id(), add.ref()); // nothing when removed meanwhile
                    references.added(add.ref().location().file(),
                            FileReferences.messageBytes(add.queue(), add.ref().location()));
                }
                references.removed(branch.file, branch.bytes, at.file());
                for (Removed r : removed) {
                    removed(r.queue, r.ref, at.file());
                    // The PREPARE holds what these removes are: it must outlive the adds they cancel too.
                    references.guard(branch.file, r.ref.location().file());
                }
            });
        }
    }

    /** The length of the envelope {@code ref} holds or points at; any thread (the writer may write it meanwhile). */
    private static int envelopeLength(MessageRef ref) {
        Location at = ref.location();
        if (at != null) {
            return at.length();
        }
        byte[] pending = ref.pendingEnvelope();
        return pending != null ? pending.length : ref.location().length();
    }

    /** Writes one ROLLBACK_PREPARED record and forgets the branch. */
    @Override
    public CompletableFuture<Void> rollbackPrepared(byte[] xid) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.rollbackPrepared(xid);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(notPrepared(xid));
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            PreparedBranches.Branch branch = branches.remove(xid);
            if (branch == null) {
                return CompletableFuture.failedFuture(notPrepared(xid));
            }
            changes++;
            return writer.submit(record.bytes(), at -> references.removed(branch.file, branch.bytes, at.file()));
        }
    }

    /** The prepared branches in prepare order, their envelopes read back from the journal. */
    @Override
    public List<PreparedBatch> prepared() {
        checkOpen();
        List<PreparedBatch> all = new ArrayList<>();
        for (PreparedBranches.Branch branch : branches.list()) {
            List<StoreBatch.Add> adds = new ArrayList<>(branch.adds.size());
            boolean complete = true;
            for (PreparedBranches.Add add : branch.adds) {
                byte[] envelope = envelope(add.ref(), () -> branches.get(branch.xid) == branch ? add.ref() : null,
                        "message " + add.id() + " of queue '" + add.queue() + "' in prepared branch " + branch.hex());
                if (envelope == null) {
                    complete = false;
                    break;
                }
                adds.add(new StoreBatch.Add(add.queue(), new StoredMessage(add.id(), envelope)));
            }
            if (complete) {
                all.add(new PreparedBatch(branch.xid, new StoreBatch(adds, branch.removes)));
            }
        }
        return all;
    }

    private static IllegalArgumentException notPrepared(byte[] xid) {
        return new IllegalArgumentException("transaction branch " + PreparedBranches.hex(xid) + " is not prepared");
    }

    /** A message taken out of the index, with its queue: its remove record is not written yet. */
    private record Removed(String queue, MessageRef ref) {
    }

    /** Takes the messages of {@code removes} that are live out of the index. Under the lock. */
    private List<Removed> removeAll(List<StoreBatch.Remove> removes) {
        List<Removed> removed = new ArrayList<>();
        for (StoreBatch.Remove remove : removes) {
            MessageRef ref = index.remove(remove.queue(), remove.id());
            if (ref != null) {
                removed.add(new Removed(remove.queue(), ref));
            }
        }
        return removed;
    }

    /**
     * Writer thread: a record in {@code file} removed a message of {@code queue}; its add's file may go. The ref's
     * location is where its copy is now: every record before this one (its add, a rewrite) is written.
     */
    private void removed(String queue, MessageRef ref, int file) {
        references.removed(ref.location().file(), FileReferences.messageBytes(queue, ref.location()), file);
    }

    @Override
    public CompletableFuture<Void> addSubscription(StoredSubscription subscription) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.subscribe(subscription);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            SubscriptionIndex.Entry entry = new SubscriptionIndex.Entry(subscription, -1, 0);
            SubscriptionIndex.Entry replaced = subscriptions.put(entry);
            changes++;
            return writer.submit(record.bytes(), at -> entry.written(replaced, at, references));
        }
    }

    /**
     * Writes one UNSUBSCRIBE record; on replay it removes the subscription, its container's messages and its
     * delivered mark.
     */
    @Override
    public CompletableFuture<Void> removeSubscription(String container) {
        RecordCodec.Encoded record;
        try {
            record = RecordCodec.unsubscribe(container);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (mutex) {
            CompletableFuture<Void> refused = refuseWrite();
            if (refused != null) {
                return refused;
            }
            SubscriptionIndex.Entry entry = subscriptions.remove(container);
            MarkIndex.Entry mark = marks.remove(container);
            MessageIndex.Removed removed = index.removeAll(container);
            if (entry == null && mark == null && removed.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            changes++;
            return writer.submit(record.bytes(), at -> {
                if (entry != null) {
                    references.removed(entry.file, entry.bytes, at.file());
                }
                if (mark != null) {
                    references.removed(mark.file, mark.bytes, at.file());
                }
                removed.forEachFile((file, count, bytes) -> references.removed(file, count, bytes, at.file()));
            });
        }
    }

    @Override
    public List<StoredSubscription> subscriptions() {
        checkOpen();
        return subscriptions.list();
    }

    /**
     * The envelope of a message; null when it was removed (and its file deleted) while being read.
     *
     * @throws UncheckedIOException when the journal cannot be read although the message is live
     */
    /**
     * A live message's envelope, checked against its record's CRC when it was written alone (an ADD or a MOVE). A
     * message whose record fails the check is logged, removed (a REMOVE is written, so a restart does not bring the
     * damaged bytes back) and skipped: null, as for a message that is gone.
     */
    private byte[] envelope(String queue, long id, MessageRef ref) {
        return envelope(queue, id, ref, recordPrefix(queue));
    }

    /** The bytes of an ADD record of {@code queue} before its envelope: header, queue name, id, envelope length. */
    private static int recordPrefix(String queue) {
        return RecordDescriptor.HEADER_LENGTH + 2 + queue.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 8
                + 4;
    }

    private byte[] envelope(String queue, long id, MessageRef ref, int prefix) {
        try {
            return envelope(ref, () -> index.get(queue, id), "message " + id + " of queue '" + queue + "'", prefix);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof Journal.CorruptRecordException bad)) {
                throw e;
            }
            LOG.error("TERN-J0060 journal {}: message {} of '{}' is damaged on disk ({}); it is skipped and removed",
                    dir, id, queue, bad.getMessage());
            remove(queue, id);
            return null;
        }
    }

    /**
     * The envelope {@code ref} points at; null when it stopped being live (and its file was deleted) while being
     * read. When compaction moved it meanwhile (and deleted the old file), it is read where it is now.
     *
     * @param current the entry as it is now, or null when it is not live any more
     * @throws UncheckedIOException when the journal cannot be read although the message is live there
     */
    private byte[] envelope(MessageRef ref, Supplier<MessageRef> current, String what) {
        return envelope(ref, current, what, 0);
    }

    /** @param recordPrefix when above 0, check the ADD or MOVE record that starts this many bytes before it */
    private byte[] envelope(MessageRef ref, Supplier<MessageRef> current, String what, int recordPrefix) {
        MessageRef at = ref;
        while (true) {
            Location location = at.location();
            if (location == null) {
                byte[] pending = at.pendingEnvelope();
                if (pending != null) {
                    return pending;
                }
                location = at.location();
            }
            try {
                return recordPrefix > 0 ? journal.readChecked(location, recordPrefix) : journal.read(location);
            } catch (Journal.CorruptRecordException e) {
                throw new UncheckedIOException(e);
            } catch (IOException e) {
                MessageRef now = current.get();
                if (now == null) {
                    return null;
                }
                Location there = now.location();
                if (there == null || !there.equals(location)) {
                    at = now; // moved (or being moved) meanwhile: read it where it is
                    continue;
                }
                throw new UncheckedIOException("cannot read " + what + " at " + location + " in " + dir + ": " + e,
                        e);
            }
        }
    }

    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops the store as a crash right now would leave its files: without the closing checkpoint (every write that
     * completed is on disk already). For tests of recovery.
     */
    void halt() {
        stop(false);
    }

    private void stop(boolean clean) {
        synchronized (mutex) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            compactor.close();
            if (clean) {
                checkpointer.close();
            } else {
                checkpointer.stop();
            }
            writer.close();
            journal.close();
        } catch (IOException e) {
            throw new JournalException("cannot close journal " + dir + " cleanly: " + e, e);
        } finally {
            lock.close();
        }
    }

    /** The bytes of every data file: live messages, and records not yet reclaimed. */
    @Override
    public long usedBytes() {
        return journal.sizeBytes();
    }

    /** The directory this store keeps its files in. */
    public Path directory() {
        return dir;
    }

    public JournalOptions options() {
        return options;
    }

    /** What recovery found when this store opened. */
    public RecoveryReport recoveryReport() {
        return report;
    }

    /** The bytes of data file {@code number} up to its last record (a zeroed tail not counted); 0 when gone. */
    long recordedBytes(int number) {
        return journal.size(number);
    }

    /** Forces of data files since the store opened: with group commit, far fewer than writes. */
    public long forceCount() {
        return journal.forceCount();
    }

    /** Reads of messages from the data files since the store opened: a run of neighbouring records is one. */
    long readCount() {
        return journal.readCount();
    }

    /** Batches the writer wrote since the store opened; each was one write call (two across a rollover). */
    public long batchCount() {
        return writer.batchCount();
    }

    /** Records written since the store opened. */
    public long recordCount() {
        return writer.recordCount();
    }

    /** The checkpoint files kept, oldest first. */
    public List<Path> checkpointFiles() {
        return checkpointer.kept().stream().map(Checkpointer.Kept::path).toList();
    }

    /** The data files in use, oldest first. */
    public List<Path> dataFiles() {
        return journal.fileNumbers().stream().map(n -> dir.resolve(JournalFile.name(n))).toList();
    }

    /** The compactor; null only while the constructor runs (before any batch can be written). */
    Compactor compactor() {
        return compactor;
    }

    private CompletableFuture<Void> refuseWrite() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the journal store " + dir
                    + " is closed"));
        }
        JournalException failure = writer.failure();
        return failure == null ? null : CompletableFuture.failedFuture(failure);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the journal store " + dir + " is closed");
        }
    }
}
