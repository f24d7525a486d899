package io.tern.bench.runner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The physical limit under every persistent scenario, measured in the same run on the brokers' data disk: how many
 * 1 KiB appends per second one writer reaches when it forces (fdatasync) after each, and when it forces once per
 * {@value #BATCH}. A broker that fsyncs each synchronous send cannot beat the first by much; group commit aims at the
 * second. Also, for reference, the first again when each record overwrites a file already filled with zeros (and
 * forced): the force then changes no metadata, which is why journals preallocate (Tern writes zeros ahead, Classic
 * preallocates KahaDB files, Artemis fills its files with zeros).
 */
final class DiskProbe {
    static final int RECORD = 1024;
    static final int BATCH = 64;

    /** Appends per second, one force each and one force per {@value #BATCH}. */
    record Limits(double syncedPerSecond, double batchedPerSecond, double overwrittenPerSecond) {
        String describe() {
            return String.format(Locale.ROOT, "%,.0f appends/s with a force after each 1 KiB record, %,.0f/s with "
                    + "one force per %d; %,.0f/s with a force after each when the records overwrite a zero-filled "
                    + "file", syncedPerSecond, batchedPerSecond, BATCH, overwrittenPerSecond);
        }
    }

    private DiskProbe() {
    }

    static Limits measure(Path dir, long millisEach) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("disk-probe.dat");
        try {
            return new Limits(appends(file, millisEach, 1), appends(file, millisEach, BATCH),
                    overwrites(file, millisEach));
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
                    zeros.clear();
                    while (zeros.hasRemaining()) {
                        length += channel.write(zeros, length);
                    }
                    channel.force(true);
                }
                record.clear();
                while (record.hasRemaining()) {
                    channel.write(record, records * RECORD + record.position());
                }
                channel.force(false);
                records++;
                now = System.nanoTime();
            }
            return records / ((now - start) / 1e9);
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
}
