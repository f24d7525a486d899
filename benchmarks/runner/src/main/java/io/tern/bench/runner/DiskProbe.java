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
 * producers could get from this disk with no network, no broker and no client between them.
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

    static Limits measure(Path dir, long millisEach) throws IOException {
        return onProbeFile(dir, file -> new Limits(appends(file, millisEach, 1), appends(file, millisEach, BATCH),
                overwrites(file, millisEach), sharedForces(file, millisEach, WRITERS)));
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
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long length = 0;
            long records = 0;
            long start = System.nanoTime();
            long end = start + millis * 1_000_000;
            long now = start;
            while (now < end) {
                if (records * RECORD >= length) { // fill the next MiB first (not counted as records)
                    writeFully(channel, zeros, length);
                    length += zeros.capacity();
                    channel.force(true);
                }
                writeFully(channel, record, records * RECORD);
                channel.force(false);
                records++;
                now = System.nanoTime();
            }
            return records / ((now - start) / 1e9);
        }
    }

    /** Writes the whole of {@code buffer}, from its start, at {@code at}. */
    private static void writeFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.write(buffer, at + buffer.position());
        }
    }

    private static double appends(Path file, long millis, int perForce) throws IOException {
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        long records = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long start = System.nanoTime();
            long end = start + millis * 1_000_000;
            long now = start;
            while (now < end) {
                for (int i = 0; i < perForce; i++) {
                    record.clear();
                    while (record.hasRemaining()) {
                        channel.write(record);
                    }
                }
                channel.force(false);
                records += perForce;
                now = System.nanoTime();
            }
            return records / ((now - start) / 1e9);
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
