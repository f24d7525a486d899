package io.tern.bench.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit under every persistent scenario, measured in the same run on the brokers' data disk: how many
 * 1 KiB appends per second one writer reaches when it forces (fdatasync) after each, and when it forces once per
 * {@value #BATCH}. A broker that fsyncs each synchronous send cannot beat the first by much; group commit aims at the
 * second. Also, for reference, the first again when each record overwrites a file already filled with zeros (and
 * forced): the force then changes no metadata, which is why journals preallocate (Tern writes zeros ahead, Classic
 * preallocates KahaDB files, Artemis fills its files with zeros). And the ceiling under persistent-4x4: how many
 * records per second {@value #WRITERS} threads reach when each waits for its own record's force before it writes the
 * next, and one thread forces whatever they have written (group commit), in such a file: what that many synchronous
 * producers could get from this disk with no network, no broker and no client between them. The first three are
 * taken in turns of {@value #SLICE_MILLIS} ms, so that their ratios are not the drift of a shared disk.
 */
final class DiskProbe {
    static final int RECORD = 1024;
    static final int BATCH = 64;
    static final int WRITERS = 4;
    /** The shared-forces probe's file: its records overwrite it round and round. */
    private static final int SHARED_FILE = 8 << 20;

    /**
     * Appends per second, one force each and one force per {@value #BATCH}; forced writes per second into a
     * zero-filled file; and records per second of {@value #WRITERS} synchronous writers sharing forces in such a file.
     */
    record Limits(double syncedPerSecond, double batchedPerSecond, double overwrittenPerSecond,
                  double sharedPerSecond) {
        /** These limits with the shared-forces figure. */
        Limits withShared(double shared) {
            return new Limits(syncedPerSecond, batchedPerSecond, overwrittenPerSecond, shared);
        }

        String describe() {
            return String.format(Locale.ROOT, "%,.0f appends/s with a force after each 1 KiB record, %,.0f/s with "
                    + "one force per %d; %,.0f/s with a force after each when the records overwrite a zero-filled "
                    + "file, and %,.0f/s there when %d threads each wait for their own record's force and share "
                    + "forces", syncedPerSecond, batchedPerSecond, BATCH, overwrittenPerSecond, sharedPerSecond,
                    WRITERS);
        }
    }

    private DiskProbe() {
    }

    /**
     * The first three figures are taken in turns of at most {@value #SLICE_MILLIS} ms, round and round until each has
     * had {@code millisEach}, so that a disk whose speed drifts from second to second (a shared virtual disk) weighs
     * on all three alike and their ratios are the disk's, not its drift's. The shared forces follow.
     */
    static Limits measure(Path dir, long millisEach) throws IOException {
        Limits single = onProbeFile(dir, file -> {
            Path appended = file.resolveSibling(file.getFileName() + ".append");
            Path batched = file.resolveSibling(file.getFileName() + ".batch");
            try (Appends synced = new Appends(appended, 1); Appends perBatch = new Appends(batched, BATCH);
                 Overwrites overwrites = new Overwrites(file)) {
                double[] rates = inTurns(millisEach, synced, perBatch, overwrites);
                return new Limits(rates[0], rates[1], rates[2], Double.NaN);
            } finally {
                Files.deleteIfExists(appended);
                Files.deleteIfExists(batched);
            }
        });
        return single.withShared(onProbeFile(dir, file -> sharedForces(file, millisEach, WRITERS)));
    }

    /** The longest turn of one kind of write in {@link #measure}. */
    static final long SLICE_MILLIS = 100;

    /** One kind of forced 1 KiB writes, taken a turn at a time. */
    interface ForcedWrites extends java.io.Closeable {
        /** Writes and forces once; returns how many 1 KiB records that force covered. */
        int writeAndForce() throws IOException;
    }

    /** Records per second of each of {@code kinds}, given {@code millisEach} in turns of {@link #SLICE_MILLIS}. */
    static double[] inTurns(long millisEach, ForcedWrites... kinds) throws IOException {
        long budget = millisEach * 1_000_000;
        long slice = Math.min(SLICE_MILLIS * 1_000_000, Math.max(1_000_000, budget / 10));
        long[] nanos = new long[kinds.length];
        long[] records = new long[kinds.length];
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < kinds.length; i++) {
                if (nanos[i] >= budget) {
                    continue;
                }
                more = true;
                long start = System.nanoTime();
                long end = start + Math.min(slice, budget - nanos[i]);
                long now = start;
                while (now < end) {
                    records[i] += kinds[i].writeAndForce();
                    now = System.nanoTime();
                }
                nanos[i] += now - start;
            }
        }
        double[] rates = new double[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            rates[i] = records[i] / (nanos[i] / 1e9);
        }
        return rates;
    }

    /**
     * Forced 1 KiB writes per second into a zero-filled file, alone: the quick look at the disk taken beside each
     * window of a scenario whose sends each wait for a force ({@link BrokerRuns}).
     */
    static double forcedPerSecond(Path dir, long millis) throws IOException {
        return onProbeFile(dir, file -> overwrites(file, millis));
    }

    /** What a probe measures with a file of its own in {@code dir}. */
    @FunctionalInterface
    private interface Probe<T> {
        T measure(Path file) throws IOException;
    }

    /** Runs {@code probe} on the probe's file in {@code dir} (created if need be), and deletes the file after it. */
    private static <T> T onProbeFile(Path dir, Probe<T> probe) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("disk-probe.dat");
        try {
            return probe.measure(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Forced 1 KiB writes per second into a file first filled with zeros and forced (no metadata changes). */
    private static double overwrites(Path file, long millis) throws IOException {
        try (Overwrites overwrites = new Overwrites(file)) {
            return inTurns(millis, overwrites)[0];
        }
    }

    /**
     * Forced 1 KiB writes into a file filled with zeros a MiB ahead of them (each MiB written and forced when the
     * records reach it, inside the time measured), so no force of a record changes the file's metadata.
     */
    private static final class Overwrites implements ForcedWrites {
        private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        private final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        private final FileChannel channel;
        private long length;
        private long records;

        Overwrites(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public int writeAndForce() throws IOException {
            if (records * RECORD >= length) { // fill the next MiB first (not counted as records)
                writeFully(channel, zeros, length);
                length += zeros.capacity();
                channel.force(true);
            }
            writeFully(channel, record, records * RECORD);
            channel.force(false);
            records++;
            return 1;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Writes the whole of {@code buffer}, from its start, at {@code at}. */
    private static void writeFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.write(buffer, at + buffer.position());
        }
    }

    /** 1 KiB records appended to a file that grows, {@code perForce} of them per force. */
    private static final class Appends implements ForcedWrites {
        private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        private final FileChannel channel;
        private final int perForce;

        Appends(Path file, int perForce) throws IOException {
            this.perForce = perForce;
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }

        @Override
        public int writeAndForce() throws IOException {
            for (int i = 0; i < perForce; i++) {
                record.clear();
                while (record.hasRemaining()) {
                    channel.write(record);
                }
            }
            channel.force(false);
            return perForce;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Records per second when {@code writers} threads each write a 1 KiB record, wait until a force has covered it,
     * and write the next; one more thread forces whatever has been written since its last force and then wakes them
     * (group commit). The file is filled with zeros and forced first, so no force changes its metadata.
     */
    static double sharedForces(Path file, long millis, int writers) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < SHARED_FILE; at += zeros.capacity()) {
                writeFully(channel, zeros, at);
            }
            channel.force(true);
            SharedForces shared = new SharedForces(channel);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                threads.add(start(shared::write, "disk-probe-writer-" + i));
            }
            threads.add(start(shared::force, "disk-probe-forcer"));
            long start = System.nanoTime();
            long forcedBefore = shared.forcedRecords();
            try {
                Thread.sleep(millis); // the window being measured: nothing to wait for but its end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long forced = shared.forcedRecords() - forcedBefore;
            long elapsed = System.nanoTime() - start;
            shared.stop();
            joinAll(threads);
            if (shared.failure != null) {
                throw shared.failure;
            }
            return forced / (elapsed / 1e9);
        }
    }

    private static Thread start(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The shared-forces probe's state: records written and not yet forced, and forces started and finished. */
    private static final class SharedForces {
        private final FileChannel channel;
        private final AtomicLong slots = new AtomicLong();
        private long pending;      // written, not yet in a force; guarded by this
        private long started;      // forces started; guarded by this
        private long finished;     // forces finished; guarded by this
        private long forcedRecords; // records covered by finished forces; guarded by this
        private boolean stopped;   // guarded by this
        private volatile IOException failure;

        SharedForces(FileChannel channel) {
            this.channel = channel;
        }

        synchronized void stop() {
            stopped = true;
            notifyAll();
        }

        /** Records whose force has finished, so far. */
        synchronized long forcedRecords() {
            return forcedRecords;
        }

        private void fail(IOException e) {
            failure = e;
            stop();
        }

        /** A writer: write a record, wait for the force that covers it, again. */
        void write() {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
            try {
                while (true) {
                    writeFully(channel, record, (slots.getAndIncrement() % (SHARED_FILE / RECORD)) * RECORD);
                    synchronized (this) {
                        pending++;
                        long covering = started + 1; // the next force to start takes this record
                        notifyAll();
                        while (finished < covering && !stopped) {
                            wait();
                        }
                        if (stopped) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                fail(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The forcer: take what has been written, force it, wake its writers, again. */
        void force() {
            try {
                while (true) {
                    long batch;
                    synchronized (this) {
                        while (pending == 0 && !stopped) {
                            wait();
                        }
                        if (stopped) {
                            return;
                        }
                        batch = pending;
                        pending = 0;
                        started++;
                    }
                    channel.force(false);
                    synchronized (this) {
                        finished++;
                        forcedRecords += batch;
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                fail(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
