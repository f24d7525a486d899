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
 */
final class JournalFile {
    private static final Pattern NAME = Pattern.compile("db-(\\d{1,9})\\.log");

    private final int number;
    private final Path path;
    private final FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile long size;
    private volatile boolean deleted;

    private JournalFile(int number, Path path, FileChannel writeChannel, long size) {
        this.number = number;
        this.path = path;
        this.writeChannel = writeChannel;
        this.size = size;
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

    /** The bytes in the file, header included; where the next record goes. */
    long size() {
        return size;
    }

    /** Writes {@code records} at the end of the file with as few system calls as the OS allows. Writer thread. */
    long append(ByteBuffer[] records, int from, int count) throws IOException {
        long start = size;
        long total = 0;
        for (int i = from; i < from + count; i++) {
            total += records[i].remaining();
        }
        writeChannel.position(start);
        long written = 0;
        while (written < total) {
            written += writeChannel.write(records, from, count);
        }
        size = start + total;
        return start;
    }

    void force() throws IOException {
        writeChannel.force(false);
    }

    /** Cuts the file to {@code length} bytes and forces the cut. Writer thread or recovery. */
    void truncate(long length) throws IOException {
        writeChannel.truncate(length);
        writeChannel.force(true);
        size = length;
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
        synchronized (this) {
            deleted = true;
        }
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
