package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One data file {@code db-<number>.log}: a {@link FileHeaderDescriptor} header, then records. Only the writer thread
 * appends, forces, truncates or deletes; any thread may {@link #read}. Reads use their own channel, reopened when
 * a reading thread's interrupt closed it, so an interrupted reader never breaks the writer.
 *
 * <p>Zeroed tail: an append may also write zeros after its records ({@link #append(ByteBuffer[], int, int, int)}),
 * so that the next small appends overwrite blocks the file system has already allocated, inside the file's
 * recorded length: forcing such a write (fdatasync) then flushes only data, with no metadata change (on this
 * project's machines about 1.5 to 1.9 times as many forces per second as appends that grow the file). The zeros
 * lie past {@link #size()}; {@link #sealTail()} cuts them off when the file stops being written, and recovery
 * cuts off such a tail left by a crash (zeros are never a valid record: no record type is 0).
 */
final class JournalFile {
    private static final Pattern NAME = Pattern.compile("db-(\\d{1,9})\\.log");

    private final int number;
    private final Path path;
    private final FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile long size;
    /** The file's length on disk: {@link #size} plus any zeroed tail. Writer thread. */
    private long length;
    private volatile boolean deleted;

    /** The most zeros one append writes after its records. */
    static final int MAX_ZERO_TAIL = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(MAX_ZERO_TAIL).asReadOnlyBuffer();

    private JournalFile(int number, Path path, FileChannel writeChannel, long size) {
        this.number = number;
        this.path = path;
        this.writeChannel = writeChannel;
        this.size = size;
        this.length = size;
    }

    static String name(int number) {
        return "db-" + number + ".log";
    }

    /** The number in a data file's name, or -1 when {@code path} is not named like a data file. */
    static int numberOf(Path path) {
        Matcher m = NAME.matcher(path.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Creates data file {@code number} in {@code dir} and writes its header (not yet forced). */
    static JournalFile create(Path dir, int number) throws IOException {
        Path path = dir.resolve(name(number));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = FileHeaderDescriptor.header(number);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new JournalFile(number, path, channel, FileHeaderDescriptor.LENGTH);
    }

    /** Opens an existing data file for reading and appending at its end. */
    static JournalFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new JournalFile(numberOf(path), path, channel, channel.size());
    }

    /** Opens an existing data file for reading only (the offline tool); append, truncate and delete then fail. */
    static JournalFile openReadOnly(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        return new JournalFile(numberOf(path), path, channel, channel.size());
    }

    int number() {
        return number;
    }

    Path path() {
        return path;
    }

    /** The bytes in the file, header included; where the next record goes. A zeroed tail is not counted. */
    long size() {
        return size;
    }

    /** The file's length on disk: {@link #size()} plus its zeroed tail, if any. Writer thread. */
    long length() {
        return length;
    }

    /** Writes {@code records} at the end of the file with as few system calls as the OS allows. Writer thread. */
    long append(ByteBuffer[] records, int from, int count) throws IOException {
        return append(records, from, count, 0);
    }

    /**
     * Writes {@code records} at the end of the file, like {@link #append(ByteBuffer[], int, int)}; when they reach
     * past the zeroed tail, also writes {@code zeroTail} zeros (at most {@link #MAX_ZERO_TAIL}) after them in the same
     * system call, for the following appends to overwrite. Writer thread.
     *
     * @return where the first record starts
     */
    long append(ByteBuffer[] records, int from, int count, int zeroTail) throws IOException {
        long start = size;
        long total = 0;
        for (int i = from; i < from + count; i++) {
            total += records[i].remaining();
        }
        long end = start + total;
        ByteBuffer[] buffers = records;
        int offset = from;
        int buffersCount = count;
        long toWrite = total;
        int zeros = end > length ? Math.min(Math.max(zeroTail, 0), MAX_ZERO_TAIL) : 0;
        if (zeros > 0) {
            buffers = java.util.Arrays.copyOfRange(records, from, from + count + 1);
            buffers[count] = ZEROS.duplicate().limit(zeros);
            offset = 0;
            buffersCount = count + 1;
            toWrite += zeros;
        }
        writeChannel.position(start);
        long written = 0;
        while (written < toWrite) {
            written += writeChannel.write(buffers, offset, buffersCount);
        }
        size = end;
        length = Math.max(length, start + toWrite);
        return start;
    }

    /**
     * Cuts off the zeroed tail, if any, so that the file's length is its {@link #size()} again; not forced (the next
     * force of the file makes it durable; until then a crash leaves the zeros, which recovery cuts off). Writer
     * thread.
     *
     * @return whether there was a tail to cut
     */
    boolean sealTail() throws IOException {
        if (length <= size) {
            return false;
        }
        writeChannel.truncate(size);
        length = size;
        return true;
    }

    void force() throws IOException {
        writeChannel.force(false);
    }

    /** Cuts the file to {@code length} bytes and forces the cut. Writer thread or recovery. */
    void truncate(long length) throws IOException {
        writeChannel.truncate(length);
        writeChannel.force(true);
        size = length;
        this.length = length;
    }

    /** Fills {@code into} from {@code offset}; fewer bytes only at the end of the file. */
    int readFully(ByteBuffer into, long offset) throws IOException {
        int start = into.position();
        while (into.hasRemaining()) {
            int n = readChannel().read(into, offset + into.position() - start);
            if (n < 0) {
                break;
            }
        }
        return into.position() - start;
    }

    /** The {@code length} bytes at {@code offset}. Any thread. */
    byte[] read(long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        read(offset, ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Fills {@code into} from its position to its limit with the bytes at {@code offset} (its position is then its
     * limit). Any thread.
     */
    void read(long offset, ByteBuffer into) throws IOException {
        int from = into.position();
        int length = into.remaining();
        int attempts = 0;
        while (true) {
            try {
                into.position(from);
                if (readFully(into, offset) != length) {
                    throw new IOException(path + " ends before " + (offset + length) + " (" + length + " bytes at "
                            + offset + ")");
                }
                return;
            } catch (ClosedChannelException e) {
                // Another reader's interrupt closed the shared read channel: retry once on a fresh one.
                if (deleted || Thread.currentThread().isInterrupted() || ++attempts > 1) {
                    throw e;
                }
            }
        }
    }

    private FileChannel readChannel() throws IOException {
        FileChannel channel = readChannel;
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        synchronized (this) {
            if (deleted) {
                throw new ClosedChannelException();
            }
            if (readChannel == null || !readChannel.isOpen()) {
                readChannel = FileChannel.open(path, StandardOpenOption.READ);
            }
            return readChannel;
        }
    }

    void close() throws IOException {
        synchronized (this) {
            if (readChannel != null) {
                readChannel.close();
            }
        }
        writeChannel.close();
    }

    /** Closes and deletes the file. Writer thread. */
    void delete() throws IOException {
        retire();
        Files.deleteIfExists(path);
    }

    /**
     * Closes the file for good: reads of it from now on find it deleted. The caller then deletes its path. Writer
     * thread.
     */
    void retire() throws IOException {
        synchronized (this) {
            deleted = true;
        }
        close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
