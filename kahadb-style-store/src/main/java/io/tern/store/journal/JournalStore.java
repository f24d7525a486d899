package io.tern.store.journal;

import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The journal store: an append-only journal of data files ({@code db-N.log}) in one directory, written by one
 * {@link GroupCommitWriter}, with an in-memory {@link MessageIndex} of where each live message's envelope is (about
 * 20 bytes a message) and a {@link SubscriptionIndex} of the durable subscriptions. Bodies are read back from the
 * files, never kept on the heap once written. A {@link Checkpointer} writes the index to a checkpoint file every
 * {@code journal.checkpoint-interval-ms} when something changed, and on close, so a restart replays only the
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
    private final Path dir;
    private final JournalOptions options;
    private final DirectoryLock lock;
    private final MessageIndex index;
    private final SubscriptionIndex subscriptions;
    private final Journal journal;
    private final GroupCommitWriter writer;
    private final RecoveryReport report;
    /** Writer thread only (after construction): changed in the writer's onWritten callbacks and by the GC. */
    private final FileReferences references;
    private final Checkpointer checkpointer;
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
        this.report = recovered.report();
        this.references = recovered.references();
        this.journal = new Journal(dir, options.maxFileSize(), recovered.files(), recovered.nextNumber(),
                recovered.appendFloor());
        this.changes = report.records();
        FileCollector collector = new FileCollector(journal, references);
        collector.floors(Checkpointer.floors(recovered.checkpoints()));
        collector.collect();
        String name = dir.getFileName() == null ? "journal" : dir.getFileName().toString();
        this.writer = new GroupCommitWriter(journal, options.sync(), options.syncIntervalMs(), name,
                collector::collect);
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
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            return new JournalStore(dir, options, lock, Recovery.run(dir));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Under the mutex: a checkpoint's snapshot and the barrier that completes it; see {@link Checkpointer}. */
    private Checkpointer.Capture capture(long since, boolean evenIfUnchanged,
                                         Consumer<JournalPosition> atBarrier) {
        synchronized (mutex) {
            if ((changes == since && !evenIfUnchanged) || writer.failure() != null) {
                return null;
            }
            MessageIndex.Snapshot messages = index.snapshot();
            List<SubscriptionIndex.Entry> subscribed = subscriptions.entries();
            CompletableFuture<Checkpoint> checkpoint = writer.barrier(at -> {
                atBarrier.accept(at);
                return new Checkpoint(at, messages, subscribed, references.snapshot());
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

    @Override
    public CompletableFuture<Void> add(String queue, StoredMessage message) {
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
            if (index.contains(queue, id)) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "queue '" + queue + "' already holds message " + id));
            }
            MessageRef ref = MessageRef.pending(message.envelope());
            index.putPending(queue, id, ref, envelopeLength);
            changes++;
            return writer.submit(record.bytes(), at -> {
                ref.written(new Location(at.file(), at.offset() + envelopeOffset, envelopeLength));
                index.written(queue, id, ref);
                references.added(at.file());
            });
        }
    }

    @Override
    public CompletableFuture<Void> remove(String queue, long id) {
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
            return writer.submit(RecordCodec.remove(queue, id).bytes(),
                    at -> references.removed(ref.location().file(), at.file()));
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
                if (index.contains(add.queue(), id) || !seen.add(id + "/" + add.queue())) {
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
            List<MessageRef> removed = new ArrayList<>();
            for (StoreBatch.Remove remove : batch.removes()) {
                MessageRef ref = index.remove(remove.queue(), remove.id());
                if (ref != null) {
                    removed.add(ref);
                }
            }
            int[] offsets = record.envelopeOffsets();
            changes++;
            return writer.submit(record.bytes(), at -> {
                for (int i = 0; i < added.size(); i++) {
                    StoreBatch.Add add = batch.adds().get(i);
                    int length = add.message().envelope().length;
                    added.get(i).written(new Location(at.file(), at.offset() + offsets[i], length));
                    index.written(add.queue(), add.message().id(), added.get(i));
                    references.added(at.file());
                }
                for (MessageRef ref : removed) {
                    references.removed(ref.location().file(), at.file());
                }
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
        int passed = 0;
        long after = afterId;
        while (passed < max) {
            int asked = max - passed;
            List<QueueIndex.Entry> page = index.after(queue, after, asked);
            for (QueueIndex.Entry e : page) {
                after = e.id();
                byte[] envelope = envelope(queue, e.id(), e.ref());
                if (envelope != null) {
                    visitor.accept(new StoredMessage(e.id(), envelope));
                    passed++;
                }
            }
            if (page.size() < asked) {
                break;
            }
        }
        return passed;
    }

    @Override
    public long maxId(String queue) {
        checkOpen();
        return index.maxId(queue);
    }

    @Override
    public List<String> describeSpace() {
        return List.of("not yet");
    }

    @Override
    public long count(String queue) {
        checkOpen();
        return index.count(queue);
    }

    @Override
    public CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
    }

    @Override
    public CompletableFuture<Void> commitPrepared(byte[] xid) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
    }

    @Override
    public CompletableFuture<Void> rollbackPrepared(byte[] xid) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not yet"));
    }

    @Override
    public List<PreparedBatch> prepared() {
        return List.of();
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
            SubscriptionIndex.Entry entry = new SubscriptionIndex.Entry(subscription, -1);
            SubscriptionIndex.Entry replaced = subscriptions.put(entry);
            changes++;
            return writer.submit(record.bytes(), at -> {
                entry.file = at.file();
                references.added(at.file());
                if (replaced != null) {
                    references.removed(replaced.file, at.file());
                }
            });
        }
    }

    /** Writes one UNSUBSCRIBE record; on replay it removes the subscription and its container's messages. */
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
            MessageIndex.Removed removed = index.removeAll(container);
            if (entry == null && removed.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            changes++;
            return writer.submit(record.bytes(), at -> {
                if (entry != null) {
                    references.removed(entry.file, at.file());
                }
                removed.forEachFile((file, count) -> references.removed(file, count, at.file()));
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
    private byte[] envelope(String queue, long id, MessageRef ref) {
        Location location = ref.location();
        if (location == null) {
            byte[] pending = ref.pendingEnvelope();
            if (pending != null) {
                return pending;
            }
            location = ref.location();
        }
        try {
            return journal.read(location);
        } catch (IOException e) {
            if (!location.equals(index.location(queue, id))) {
                return null; // removed (and its file deleted) while being read
            }
            throw new UncheckedIOException("cannot read message " + id + " of queue '" + queue + "' at " + location
                    + " in " + dir + ": " + e, e);
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

    /** Forces of data files since the store opened: with group commit, far fewer than writes. */
    public long forceCount() {
        return journal.forceCount();
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
