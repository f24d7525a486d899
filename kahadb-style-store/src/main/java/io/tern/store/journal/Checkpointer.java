package io.tern.store.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes checkpoints of a {@link JournalStore}: every {@code journal.checkpoint-interval-ms} when something changed,
 * and once more on a clean close. Keeps the newest {@value #KEPT}, so a damaged newest one still leaves one to
 * recover from, and tells the {@link FileCollector} their positions (the new one's from its snapshot on, so nothing
 * it needs goes while it is written): files both kept checkpoints cover can go, whatever their removes cancel.
 *
 * <p>One checkpoint: the store takes its snapshot under its lock and, still under it, puts a barrier in the
 * writer's queue ({@link Source#capture}); when the writer reaches the barrier every record submitted before it is
 * written and forced, and it hands over the journal position and the file references at that point. Then this
 * class writes the file (off every lock: the snapshot shares the index's arrays, copy on write).
 *
 * <p>A checkpoint that cannot be written is logged ({@code TERN-J0042}) and retried at the next interval; the
 * journal goes on (restart replays more meanwhile).
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** Checkpoints kept on disk. */
    static final int KEPT = 2;

    /** A checkpoint file kept, oldest first. */
    record Kept(Path path, long sequence, JournalPosition position) {
    }

    /** What the store hands over for one checkpoint. */
    record Capture(long changes, CompletableFuture<Checkpoint> checkpoint) {
    }

    /** The store's side. */
    interface Source {
        /**
         * Under the store's lock: snapshots the index and subscriptions and queues a writer barrier that completes
         * the checkpoint, first passing the barrier's position to {@code atBarrier} (on the writer thread). Returns
         * null when nothing changed since {@code changes} (the store's count of records submitted) and
         * {@code evenIfUnchanged} is false, or when the journal failed.
         */
        Capture capture(long changes, boolean evenIfUnchanged, Consumer<JournalPosition> atBarrier);
    }

    private final Path dir;
    private final Source source;
    private final GroupCommitWriter writer;
    private final FileCollector collector;
    private final long intervalMs;
    private final String name;
    private final Deque<Kept> kept;
    private long nextSequence;
    private long changes;
    private ScheduledExecutorService timer;

    /**
     * @param kept         the checkpoints recovery found usable (the one it loaded last), oldest first
     * @param nextSequence above every checkpoint file's sequence in {@code dir}
     * @param changes      the store's count of changes the newest kept checkpoint reflects
     */
    Checkpointer(Path dir, Source source, GroupCommitWriter writer, FileCollector collector, long intervalMs,
                 String name, List<Kept> kept, long nextSequence, long changes) {
        this.dir = dir;
        this.source = source;
        this.writer = writer;
        this.collector = collector;
        this.intervalMs = intervalMs;
        this.name = name;
        this.kept = new ArrayDeque<>(kept);
        this.nextSequence = nextSequence;
        this.changes = changes;
    }

    /**
     * Where recoveries may start while {@code kept} are on disk, for {@link FileCollector#floors}: the data file of
     * each one's position, and 0 (a full replay) while fewer than {@value #KEPT} are kept.
     */
    static int[] floors(List<Kept> kept) {
        int[] floors = new int[kept.size() < KEPT ? kept.size() + 1 : kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            floors[i] = kept.get(i).position().file();
        }
        return floors;
    }

    /** Starts the periodic checkpoints. */
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-journal-checkpoint-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkpointLogged, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a checkpoint now when something changed since the last one, or when the older kept checkpoint lags the
     * newer (a second one at the same position lets the collector use it).
     *
     * @return the file written, or null when none was needed or the journal failed
     * @throws IOException when the file could not be written
     */
    synchronized Path checkpoint() throws IOException {
        return take(lagging());
    }

    private Path take(boolean evenIfUnchanged) throws IOException {
        int[] keptFloors = floors(List.copyOf(kept));
        // From its snapshot on, the new checkpoint is a start point too: nothing it needs may go meanwhile.
        Capture capture = source.capture(changes, evenIfUnchanged, at -> {
            int[] floors = Arrays.copyOf(keptFloors, keptFloors.length + 1);
            floors[keptFloors.length] = at.file();
            collector.floors(floors);
        });
        if (capture == null) {
            return null;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = capture.checkpoint().join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof JournalException)) {
                // the snapshot could not be completed at the barrier (a record not written there: a bug)
                throw new IllegalStateException("cannot complete the snapshot at the barrier: " + e.getCause(),
                        e.getCause());
            }
            LOG.debug("TERN-J0042 no checkpoint of {}: the journal refused the barrier: {}", dir,
                    String.valueOf(e.getCause()));
            return null;
        }
        long started = System.nanoTime();
        long sequence = nextSequence++;
        Path path = CheckpointWriter.write(dir, sequence, checkpoint);
        changes = capture.changes();
        kept.addLast(new Kept(path, sequence, checkpoint.position()));
        while (kept.size() > KEPT) {
            Path old = kept.removeFirst().path();
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                LOG.warn("TERN-J0045 cannot delete the old checkpoint {}: {}; the next start deletes it", old,
                        e.toString());
            }
        }
        LOG.debug("TERN-J0040 checkpoint {} written in {} ms: {} messages, {} subscriptions, {} prepared branches, "
                        + "{} delivered marks, journal position {}", path,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), checkpoint.messages().size(),
                checkpoint.subscriptions().size(), checkpoint.branches().size(), checkpoint.marks().size(),
                checkpoint.position());
        int[] floors = floors(List.copyOf(kept));
        writer.barrier(at -> {
            collector.floors(floors);
            collector.collect();
            return null;
        });
        return path;
    }

    private boolean lagging() {
        return !kept.isEmpty() && (kept.size() < KEPT
                || !kept.getFirst().position().equals(kept.getLast().position()));
    }

    private void checkpointLogged() {
        try {
            checkpoint();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            LOG.warn("TERN-J0042 cannot write a checkpoint of journal {}: {}; will retry in {} ms (restart replays "
                    + "more of the journal meanwhile)", dir, e.toString(), intervalMs);
        }
    }

    /** Stops the periodic checkpoints, then takes a last one if anything changed. */
    @Override
    public void close() {
        stop();
        synchronized (this) {
            try {
                take(false);
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                LOG.warn("TERN-J0042 cannot write the closing checkpoint of journal {}: {}; the next start "
                        + "replays the journal from the last checkpoint", dir, e.toString());
            }
        }
    }

    /** Stops the periodic checkpoints, waiting for one being written. */
    void stop() {
        if (timer != null) {
            timer.shutdown();
            try {
                if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
                    LOG.warn("TERN-J0043 a checkpoint of journal {} did not finish within 60 s of close", dir);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The checkpoints kept, oldest first. */
    synchronized List<Kept> kept() {
        return List.copyOf(kept);
    }
}
