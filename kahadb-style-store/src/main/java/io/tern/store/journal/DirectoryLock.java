package io.tern.store.journal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a second store (in this or another process) off a data directory: an OS lock on the file {@code lock},
 * which names its holder ({@code pid@host}) so the refusal can say who holds it. Two brokers on a shared directory
 * use it to decide which is active ({@link JournalStoreLock}): the OS releases it when its process dies, however
 * it dies.
 *
 * <p>Stores in the same JVM are kept apart by a JVM-wide table checked before the lock file is opened: on Linux
 * (POSIX record locks) closing any descriptor of the file would silently drop the lock the first store holds.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "lock";
    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();
    private static volatile String me;

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** The outcome of {@link #tryAcquire}: the lock, or who holds it. */
    record Attempt(DirectoryLock lock, String holder) {
    }

    /**
     * @throws JournalException naming the directory and the holder when another store holds it
     */
    static DirectoryLock acquire(Path dir) {
        Attempt attempt = tryAcquire(dir);
        if (attempt.lock() == null) {
            throw inUse(dir, dir.resolve(FILE_NAME), attempt.holder());
        }
        return attempt.lock();
    }

    /**
     * Takes the lock unless another store (in this JVM or another process) holds it; does not wait.
     *
     * @throws JournalException when the directory or its lock file cannot be opened
     */
    static Attempt tryAcquire(Path dir) {
        Path path = dir.resolve(FILE_NAME);
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new JournalException("cannot open journal directory " + dir + ": " + e, e);
        }
        String me = me();
        String holder = HELD_IN_THIS_JVM.putIfAbsent(key, me);
        if (holder != null) {
            return new Attempt(null, "process " + holder + " (this JVM)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String other = holder(channel);
                channel.close();
                HELD_IN_THIS_JVM.remove(key);
                return new Attempt(null, other);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new Attempt(new DirectoryLock(key, channel, lock), me);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD_IN_THIS_JVM.remove(key);
            throw new JournalException("cannot lock journal directory " + dir + " (" + path + "): " + e, e);
        }
    }

    private static JournalException inUse(Path dir, Path lockFile, String holder) {
        return new JournalException("journal directory " + dir + " is in use by another store: lock file " + lockFile
                + " is held by " + holder + "; stop that broker or choose another data-dir");
    }

    /** This process as the lock file names it: {@code pid@host}. */
    static String me() {
        if (me == null) {
            me = ProcessHandle.current().pid() + "@" + host();
        }
        return me;
    }

    private static String host() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host;
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "an unknown process" : "process " + text;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    /** Releases the lock; closing again does nothing (a standby in this JVM may hold the directory by then). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(key);
    }
}
