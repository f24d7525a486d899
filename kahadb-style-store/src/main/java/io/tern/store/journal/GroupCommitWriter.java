package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer thread, doing group commit: callers {@link #submit} framed records and get a future;
 * the thread takes every record waiting, appends them with one gathering write, forces once (policy
 * {@link SyncPolicy#ALWAYS}), then completes all their futures.
 *
 * <p>Threads: each record's {@code onWritten} callback runs on the writer thread, in journal order, right after
 * its bytes are written; it must only update in-memory state. The futures complete on a separate completion
 * thread, in journal order, so callers' dependent stages (a transaction's routing when its commit completes) never
 * delay the next write. Such stages still must not block: they delay the completion of later batches. A record
 * submitted as having quick dependents (a queue send's answer, an acknowledgement's) lets its batch complete on the
 * writer thread when the completion thread is idle, still in journal order. A record's after-write action (a queue
 * send's routing) runs on the completion thread as soon as it is written, while the writer forces it; when its batch
 * is not forced (policy never or periodic, or unforced records only) and may complete on the writer thread, the
 * writer runs it itself, then completes the batch: there is no force to overlap, so a hand-off would only delay it.
 *
 * <p>Idle: after a batch, the writer polls for the next record for up to the spin time before it parks, yielding
 * its CPU between polls, so that a record arriving soon after is taken without the wake-up of a parked thread (on a
 * virtual machine about 25 µs on the path of every synchronous send: the submitter's signal, then the writer
 * waiting for a CPU). It polls only while that pays: a poll that times out turns polling off, and a park that ends
 * within the spin time turns it on again, so a writer whose records come far apart (a commit every millisecond, an
 * idle broker) parks at once and spends no CPU waiting. And it polls only while its records come one at a time:
 * once {@value #SINGLE_BATCHES} forced batches in a row held one forced record each (one synchronous sender, or a
 * request and its reply taking turns). When several senders' records share forces, taking the first to arrive at
 * once would split the next group commit (measured: four synchronous producers lost 8-21%), so the writer parks
 * and the wake-up's delay lets the others join the batch.
 *
 * <p>Failure: when a write or force fails, every waiting and every later future fails with a
 * {@link JournalException} naming the file; the writer stops and the store refuses further writes rather than
 * pretending they are durable.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /**
     * A record to write, or (record null) a barrier to run at its place in the journal order. {@code force} false:
     * the record need not be durable when its future completes (it rides the next force).
     */
    private record Pending(ByteBuffer record, Consumer<Location> onWritten, CompletableFuture<Void> done,
                           Consumer<JournalPosition> barrier, boolean force, Runnable afterWrite,
                           boolean quick) {
    }

    private final RecordSink sink;
    private final SyncPolicy policy;
    private final long syncIntervalNanos;
    private final Runnable afterBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final Thread thread;
    private final ExecutorService completions;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong inlineCompletions = new AtomicLong();
    /** Tasks handed to the completion thread that have not finished running. */
    private final java.util.concurrent.atomic.AtomicInteger queuedTasks = new java.util.concurrent.atomic.AtomicInteger();
    private List<Pending> queue = new ArrayList<>();
    /** Whether the queue holds anything; set under the lock, read by the writer's poll without it. */
    private volatile boolean hasWork;
    private final long spinNanos;
    /** Writer thread only: whether to poll after the next batch (see the class comment). */
    private boolean spinning = true;
    /** Forced batches in a row, up to {@link #SINGLE_BATCHES}, that held one forced record each; writer thread. */
    private int singleBatches;
    static final int SINGLE_BATCHES = 8;
    private final AtomicLong spinsCaught = new AtomicLong();
    private final AtomicLong spinsMissed = new AtomicLong();
    /** Whether the writer is polling now (tests wait for it, to submit while it polls). */
    private volatile boolean inPoll;
    private boolean closing;
    /** Set by close, so that a poll under way ends at once. */
    private volatile boolean stopping;
    private volatile JournalException failure;
    private boolean dirty;
    private long nextForceAt;

    /**
     * @param afterBatch runs on the writer thread after each batch is durable under the policy, and after each barrier
     *                   (file GC, compaction)
     */
    GroupCommitWriter(RecordSink sink, SyncPolicy policy, int syncIntervalMs, String name, Runnable afterBatch) {
        this(sink, policy, syncIntervalMs, 0, name, afterBatch);
    }

    /**
     * @param spinMicros how long the writer polls for the next record after a batch before it parks; 0: it parks
     *                   at once
     * @param afterBatch runs on the writer thread after each batch is durable under the policy, and after each barrier
     *                   (file GC, compaction)
     */
    GroupCommitWriter(RecordSink sink, SyncPolicy policy, int syncIntervalMs, int spinMicros, String name,
                      Runnable afterBatch) {
        this.sink = sink;
        this.spinNanos = TimeUnit.MICROSECONDS.toNanos(spinMicros);
        this.policy = policy;
        this.syncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(syncIntervalMs);
        this.afterBatch = afterBatch;
        this.completions = Executors.newSingleThreadExecutor(r -> daemon(r, "tern-journal-complete-" + name));
        this.thread = daemon(this::run, "tern-journal-writer-" + name);
        this.nextForceAt = System.nanoTime() + syncIntervalNanos;
        thread.start();
    }

    /**
     * Queues a framed record. Callers that need journal order (an add before its remove) submit while holding
     * the lock that orders them.
     *
     * @param onWritten told where the record landed, on the writer thread, before the future completes
     * @return completes when the record is durable under the sync policy; fails when it cannot be
     */
    CompletableFuture<Void> submit(ByteBuffer record, Consumer<Location> onWritten) {
        return enqueue(record, onWritten, null, true, null, false);
    }

    /**
     * Queues a framed record like {@link #submit(ByteBuffer, Consumer)}, and runs {@code afterWrite} on the
     * completion thread as soon as the record is written, while the writer forces it: the record is then in the
     * operating system's hands (it survives the broker process's death, kill -9, though not yet the machine's).
     * Runs before the returned future completes; never when the write fails. {@code afterWrite} may be null.
     *
     * <p>The future's dependent stages must be quick (answer a client, record a state): it may complete on the
     * writer thread itself, when the completion thread has nothing left to run, which saves a thread hop on the
     * path of every synchronous send.
     */
    CompletableFuture<Void> submit(ByteBuffer record, Consumer<Location> onWritten, Runnable afterWrite) {
        return enqueue(record, onWritten, null, true, afterWrite, true);
    }

    /**
     * Queues a framed record that need not be durable when its future completes: it is written in journal order
     * like any other, but a batch of such records alone is not forced (whatever the policy); the next force, of a
     * later batch, a barrier or the close, makes it durable. A crash before then loses it, and every record after it
     * that was not forced either. For changes whose loss is harmless (an acknowledged message's remove: the message
     * comes back, flagged redelivered).
     *
     * @return completes once the record is written (or forced with the rest of its batch); its dependent stages
     *         must be quick, as for {@link #submit(ByteBuffer, Consumer, Runnable)}
     */
    CompletableFuture<Void> submitUnforced(ByteBuffer record, Consumer<Location> onWritten) {
        return enqueue(record, onWritten, null, false, null, true);
    }

    /**
     * Runs {@code action} on the writer thread once every record submitted before this call is written and forced
     * to the disk (whatever the sync policy), with the journal position right after those records; records
     * submitted later are written after it. A checkpoint uses this to know exactly which records its snapshot
     * reflects. The action must be quick and must not block: the writer waits for it.
     *
     * @return completes with the action's result, on the writer thread; fails when the journal failed or closed, or
     *         with what the action threw
     */
    <T> CompletableFuture<T> barrier(Function<JournalPosition, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> queued = enqueue(null, null, at -> {
            try {
                result.complete(action.apply(at));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, true, null, false);
        queued.whenComplete((ignored, failed) -> {
            if (failed != null) {
                result.completeExceptionally(failed);
            }
        });
        return result;
    }

    private CompletableFuture<Void> enqueue(ByteBuffer record, Consumer<Location> onWritten,
                                            Consumer<JournalPosition> barrier, boolean force,
                                            Runnable afterWrite, boolean quick) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (closing) {
                done.completeExceptionally(new JournalException("the journal writer is closed"));
            } else {
                queue.add(new Pending(record, onWritten, done, barrier, force, afterWrite, quick));
                hasWork = true;
                waiting.signal();
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    /** Null while writes succeed; afterwards the failure every write gets. */
    JournalException failure() {
        return failure;
    }

    /** Batches written so far: each cost one write and (policy always) one force. */
    long batchCount() {
        return batches.get();
    }

    long recordCount() {
        return records.get();
    }

    /** Polls after a batch that found the next record before the spin time ran out. */
    long spinsCaught() {
        return spinsCaught.get();
    }

    /** Whether the writer is polling for a record right now. */
    boolean pollingNow() {
        return inPoll;
    }

    /** Polls after a batch that ran out of time (and turned polling off until a short park). */
    long spinsMissed() {
        return spinsMissed.get();
    }

    /** Writes what is queued, forces it, completes its futures and stops the threads. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            stopping = true;
            waiting.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            interrupted = true;
        }
        completions.shutdown();
        try {
            if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("TERN-J0011 journal completions did not finish within 10 s of close");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            List<Pending> batch;
            if (spinning && spinNanos > 0 && singleBatches >= SINGLE_BATCHES && !hasWork) {
                spinForWork();
            }
            lock.lock();
            try {
                if (queue.isEmpty() && !closing && !periodicForceDue()) {
                    long parked = System.nanoTime();
                    while (queue.isEmpty() && !closing && !periodicForceDue()) {
                        awaitWork();
                    }
                    spinning = System.nanoTime() - parked < spinNanos;
                }
                if (queue.isEmpty() && closing) {
                    break;
                }
                batch = queue;
                queue = new ArrayList<>();
                hasWork = false;
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty() ? !forceIfDue() : !write(batch)) {
                return;
            }
        }
        if (dirty) {
            forceNow(List.of());
        }
    }

    /** Polls for a record for up to the spin time, yielding the CPU between polls; see the class comment. */
    private void spinForWork() {
        long deadline = System.nanoTime() + spinNanos;
        inPoll = true;
        try {
            while (!hasWork) {
                if (stopping) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    spinning = false;
                    spinsMissed.incrementAndGet();
                    return;
                }
                Thread.yield();
            }
            spinsCaught.incrementAndGet();
        } finally {
            inPoll = false;
        }
    }

    private void awaitWork() {
        try {
            if (policy == SyncPolicy.PERIODIC && dirty) {
                waiting.awaitNanos(nextForceAt - System.nanoTime());
            } else {
                waiting.await();
            }
        } catch (InterruptedException e) {
            // Nobody interrupts the writer; if someone does, keep serving: close() is the way to stop it.
            LOG.debug("journal writer interrupted; ignored");
        }
    }

    private boolean periodicForceDue() {
        return policy == SyncPolicy.PERIODIC && dirty && System.nanoTime() - nextForceAt >= 0;
    }

    /** Writes one batch, running its barriers in their places; false when the journal failed. */
    private boolean write(List<Pending> batch) {
        int from = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).record() == null) {
                List<Pending> rest = batch.subList(from, batch.size());
                if (i > from && !writeRecords(batch.subList(from, i), rest)) {
                    return false;
                }
                if (!barrier(batch.get(i), batch.subList(i, batch.size()))) {
                    return false;
                }
                from = i + 1;
            }
        }
        return from == batch.size() || writeRecords(batch.subList(from, batch.size()), batch.subList(from,
                batch.size()));
    }

    /** Forces what is written, then runs the barrier; false (and {@code rest} failed) when the force failed. */
    private boolean barrier(Pending barrier, List<Pending> rest) {
        if (dirty && !forceNow(rest)) {
            return false;
        }
        barrier.barrier().accept(sink.position());
        barrier.done().complete(null);
        afterBatch.run();
        return true;
    }

    /** Writes records (no barrier among them); false when the journal failed, failing {@code rest} with it. */
    private boolean writeRecords(List<Pending> batch, List<Pending> rest) {
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = batch.get(i).record();
        }
        Location[] locations;
        try {
            locations = sink.append(buffers, buffers.length);
        } catch (IOException e) {
            fail("cannot write to journal file " + sink.currentFile(), e, rest);
            return false;
        }
        List<Runnable> written = null;
        int forced = 0;
        for (int i = 0; i < locations.length; i++) {
            Pending p = batch.get(i);
            if (p.force()) {
                forced++;
            }
            p.onWritten().accept(locations[i]);
            if (p.afterWrite() != null) {
                if (written == null) {
                    written = new ArrayList<>(2);
                }
                written.add(p.afterWrite());
            }
        }
        batches.incrementAndGet();
        records.addAndGet(batch.size());
        dirty = true;
        countSenders(forced);
        boolean force = policy == SyncPolicy.ALWAYS && forced > 0 || periodicForceDue();
        boolean inline = !force && completesInline(batch);
        if (written != null) {
            List<Runnable> run = written;
            if (inline) {
                run.forEach(GroupCommitWriter::runLogged);
            } else {
                execute(() -> run.forEach(GroupCommitWriter::runLogged));
            }
        }
        if (force && !forceNow(rest)) {
            return false;
        }
        complete(batch, completesInline(batch));
        afterBatch.run();
        return true;
    }

    private static void runLogged(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("TERN-J0012 an action after a journal write failed: {}", e.toString(), e);
        }
    }

    /**
     * Counts the forced batches in a row that held one forced record each (see the class comment), given how many
     * records of a batch need forcing.
     */
    private void countSenders(int forced) {
        if (forced > 1) {
            singleBatches = 0;
        } else if (forced == 1 && singleBatches < SINGLE_BATCHES) {
            singleBatches++;
        }
    }

    /** With policy periodic, forces when the interval has passed; false when the journal failed. */
    private boolean forceIfDue() {
        return !periodicForceDue() || forceNow(List.of());
    }

    private boolean forceNow(List<Pending> batch) {
        try {
            sink.force();
            dirty = false;
            nextForceAt = System.nanoTime() + syncIntervalNanos;
            return true;
        } catch (IOException e) {
            fail("cannot force journal file " + sink.currentFile() + " to disk", e, batch);
            return false;
        }
    }

    /**
     * Completes a batch's futures in journal order: on the writer thread when every one of them has quick dependents
     * and the completion thread has run everything handed to it (so no earlier completion, nor this batch's
     * after-write actions, can come later); on the completion thread otherwise.
     */
    private void complete(List<Pending> batch, boolean inline) {
        if (inline) {
            inlineCompletions.incrementAndGet();
            for (Pending p : batch) {
                p.done().complete(null);
            }
            return;
        }
        execute(() -> batch.forEach(p -> p.done().complete(null)));
    }

    /**
     * True when a batch may complete on the writer thread: every record has quick dependents and the completion
     * thread has run everything handed to it.
     */
    private boolean completesInline(List<Pending> batch) {
        return queuedTasks.get() == 0 && allQuick(batch);
    }

    private static boolean allQuick(List<Pending> batch) {
        for (Pending p : batch) {
            if (!p.quick()) {
                return false;
            }
        }
        return true;
    }

    /** Hands a task to the completion thread, counting it until it has run. */
    private void execute(Runnable task) {
        queuedTasks.incrementAndGet();
        try {
            completions.execute(() -> {
                try {
                    task.run();
                } finally {
                    queuedTasks.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            queuedTasks.decrementAndGet();
            throw e;
        }
    }

    /** Tasks handed to the completion thread that have not finished (tests). */
    int queuedTasks() {
        return queuedTasks.get();
    }

    /** Batches whose futures completed on the writer thread (no hop to the completion thread). */
    long inlineCompletionCount() {
        return inlineCompletions.get();
    }

    private void fail(String what, IOException cause, List<Pending> batch) {
        JournalException error = new JournalException(what + ": " + cause + "; the journal refuses further writes",
                cause);
        List<Pending> failed = new ArrayList<>(batch);
        lock.lock();
        try {
            failure = error;
            failed.addAll(queue);
            queue = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        LOG.error("TERN-J0010 {}", error.getMessage());
        execute(() -> failed.forEach(p -> p.done().completeExceptionally(error)));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
