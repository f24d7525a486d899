package io.tern.store.journal;

import io.tern.broker.store.StoreLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The journal store's {@link StoreLock}: the OS lock on the directory's {@code lock} file ({@link DirectoryLock}).
 * Of two brokers on one shared directory the one that holds it is active; the OS frees it when that broker's process
 * ends, however it ends, and the standby takes it at its next try. It is never lost while held. The store it is
 * handed to ({@link JournalStoreFactory#open(io.tern.broker.BrokerConfig, StoreLock)}) releases it when it closes.
 */
final class JournalStoreLock implements StoreLock {
    private final Path dir;
    private volatile DirectoryLock lock;

    JournalStoreLock(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (lock != null) {
            return true;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("cannot create journal directory " + dir + ": " + e, e);
        }
        lock = DirectoryLock.tryAcquire(dir).lock();
        return lock != null;
    }

    @Override
    public boolean isHeld() {
        return lock != null;
    }

    @Override
    public String holder() {
        DirectoryLock.Attempt attempt = DirectoryLock.tryAcquire(dir);
        if (attempt.lock() != null) {
            attempt.lock().close();
            return "nobody (free now)";
        }
        return attempt.holder() + " (lock file " + dir.resolve(DirectoryLock.FILE_NAME) + ")";
    }

    /** The held lock, for the store. */
    DirectoryLock held() {
        DirectoryLock held = lock;
        if (held == null) {
            throw new IllegalStateException("the journal directory " + dir + " is not locked by this broker");
        }
        return held;
    }

    @Override
    public synchronized void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
