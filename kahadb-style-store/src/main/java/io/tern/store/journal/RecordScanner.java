package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the records of one data file in order through a window buffer, for recovery and the offline tool. It says
 * at each offset whether a valid record starts there ({@link #check}) and, after a bad one, where the next valid
 * record starts ({@link #nextValid}).
 */
final class RecordScanner {
    private static final int WINDOW = 1 << 20;

    private final JournalFile file;
    private final long fileSize;
    private ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private int windowLength;

    RecordScanner(JournalFile file) {
        this.file = file;
        this.fileSize = file.size();
    }

    long fileSize() {
        return fileSize;
    }

    /**
     * Why no valid record starts at {@code offset}, or null when one does; then {@link #payload} and
     * {@link #recordLength} describe it.
     */
    String check(long offset) throws IOException {
        int at = load(offset, RecordDescriptor.HEADER_LENGTH);
        if (at < 0) {
            return "only " + (fileSize - offset) + " bytes left, a record header needs " + RecordDescriptor.HEADER_LENGTH;
        }
        String problem = RecordDescriptor.headerProblem(window, at, fileSize - offset);
        if (problem != null) {
            return problem;
        }
        int length = RecordDescriptor.payloadLength(window, at);
        at = load(offset, RecordDescriptor.HEADER_LENGTH + length);
        int stored = RecordDescriptor.storedCrc(window, at);
        int computed = RecordDescriptor.crc(window, at);
        if (stored != computed) {
            return String.format("CRC32C mismatch (stored %08x, computed %08x)", stored, computed);
        }
        return null;
    }

    /** The record's type; only after {@link #check} returned null for {@code offset}. */
    RecordType type(long offset) throws IOException {
        return RecordDescriptor.type(window, load(offset, RecordDescriptor.HEADER_LENGTH));
    }

    /** The record's payload, position 0 at its first byte; only after {@link #check} returned null for it. */
    ByteBuffer payload(long offset) throws IOException {
        int at = load(offset, RecordDescriptor.HEADER_LENGTH);
        int length = RecordDescriptor.payloadLength(window, at);
        at = load(offset, RecordDescriptor.HEADER_LENGTH + length);
        return window.duplicate().position(at + RecordDescriptor.HEADER_LENGTH)
                .limit(at + RecordDescriptor.HEADER_LENGTH + length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The whole record's length; only after {@link #check} returned null for {@code offset}. */
    int recordLength(long offset) throws IOException {
        return RecordDescriptor.HEADER_LENGTH
                + RecordDescriptor.payloadLength(window, load(offset, RecordDescriptor.HEADER_LENGTH));
    }

    /** The first offset after {@code from} where a valid record starts, or -1 when none does. */
    long nextValid(long from) throws IOException {
        for (long offset = from + 1; offset + RecordDescriptor.HEADER_LENGTH <= fileSize; offset++) {
            if (check(offset) == null) {
                return offset;
            }
        }
        return -1;
    }

    /**
     * Whether every byte from {@code offset} to the end of the file is zero: the zeroed tail a crash left after the
     * last record (see {@link JournalFile}), not damage.
     */
    boolean zerosFrom(long offset) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(WINDOW, Math.max(0, fileSize - offset)));
        long at = offset;
        while (at < fileSize) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), fileSize - at));
            int read = file.readFully(chunk, at);
            if (read <= 0) {
                return false;
            }
            for (int i = 0; i < read; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    /** Makes bytes [offset, offset + length) available; returns their index in the window, or -1 past the end. */
    private int load(long offset, int length) throws IOException {
        if (offset + length > fileSize) {
            return -1;
        }
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return (int) (offset - windowStart);
        }
        if (window.capacity() < length) {
            window = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        }
        window.clear();
        window.limit((int) Math.min(window.capacity(), fileSize - offset));
        windowStart = offset;
        windowLength = file.readFully(window, offset);
        window.clear();
        return windowLength < length ? -1 : 0;
    }
}
