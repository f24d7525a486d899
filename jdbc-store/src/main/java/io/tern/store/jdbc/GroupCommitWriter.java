package io.tern.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC store's one writer thread. Callers hand it writes; it takes every write waiting (up to
 * {@link #MAX_GROUP}), applies them in one database transaction on its own connection and completes each caller's
 * future after the COMMIT: one transaction serves many concurrent senders (group commit).
 *
 * <p>When a group fails (say one add repeats an id), the transaction is rolled back and each write of the group is
 * applied again in a transaction of its own, so only the writes that fail by themselves fail, each with its own
 * cause; nothing is dropped silently. A broken connection is replaced before the next group.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** One write: what it does inside the writer's transaction. */
    @FunctionalInterface
    interface Write {
        void apply(WriteTransaction tx) throws SQLException;
    }

    /** What a committed transaction changed in the message rows, for the store's estimates. */
    @FunctionalInterface
    interface CommitListener {
        void committed(long addedRows, long addedBytes, long removedRows);
    }

    /**
     * What runs first in every transaction and may refuse it: the lease check of a store shared by several brokers
     * ({@link LeaseLock#fence()}); {@link #NONE} for a store used alone.
     */
    @FunctionalInterface
    interface Fence {
        Fence NONE = tx -> { };

        void check(WriteTransaction tx) throws SQLException;
    }

    /** The most writes one transaction takes. */
    static final int MAX_GROUP = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private record Pending(Write write, CompletableFuture<Void> future) {
    }

    private static final Pending STOP = new Pending(tx -> { }, new CompletableFuture<>());

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ConnectionSource connections;
    private final CommitListener listener;
    private final Fence fence;
    private final Thread thread;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private boolean closed;
    private WriteTransaction tx;

    /** Where the writer gets a connection. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    GroupCommitWriter(String name, ConnectionSource connections, CommitListener listener) {
        this(name, connections, listener, Fence.NONE);
    }

    GroupCommitWriter(String name, ConnectionSource connections, CommitListener listener, Fence fence) {
        this.connections = connections;
        this.listener = listener;
        this.fence = fence;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code write}; the future completes after the transaction that applied it commits. */
    CompletableFuture<Void> submit(Write write) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (queue) {
            // under the lock: a write is queued before STOP, so applied, or not at all
            if (!closed) {
                queue.add(new Pending(write, future));
                return future;
            }
        }
        future.completeExceptionally(new IllegalStateException("the JDBC store is closed"));
        return future;
    }

    /** How many database transactions the writer committed or tried. */
    long transactions() {
        return transactions.get();
    }

    /** How many writes the writer applied or failed. */
    long writes() {
        return writes.get();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        try {
            while (true) {
                Pending first = queue.take();
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                boolean stop = group.remove(STOP);
                if (!group.isEmpty()) {
                    apply(group);
                }
                group.clear();
                if (stop) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeTransaction();
            failAll(queue, new IllegalStateException("the JDBC store is closed"));
        }
    }

    private void apply(List<Pending> group) {
        writes.addAndGet(group.size());
        Exception failure = applyInOneTransaction(group);
        if (failure == null) {
            group.forEach(p -> p.future().complete(null));
            return;
        }
        if (group.size() == 1) {
            group.get(0).future().completeExceptionally(failure);
            return;
        }
        LOG.debug("a group of {} writes failed ({}); applying each on its own", group.size(), failure.toString());
        for (Pending p : group) {
            Exception own = applyInOneTransaction(List.of(p));
            if (own == null) {
                p.future().complete(null);
            } else {
                p.future().completeExceptionally(own);
            }
        }
    }

    /** Applies {@code group} in one transaction; returns null when it committed, else why not (rolled back). */
    private Exception applyInOneTransaction(List<Pending> group) {
        transactions.incrementAndGet();
        try {
            WriteTransaction t = transaction();
            try {
                fence.check(t);
                for (Pending p : group) {
                    p.write().apply(t);
                }
                t.flush();
                long addedRows = t.addedRows();
                long addedBytes = t.addedBytes();
                long removedRows = t.removedRows();
                t.commit();
                listener.committed(addedRows, addedBytes, removedRows);
                return null;
            } catch (SQLException | RuntimeException e) {
                t.rollback();
                checkConnection();
                return e;
            }
        } catch (SQLException e) {
            return new SQLException("the JDBC store's writer has no database connection: " + e.getMessage(), e);
        }
    }

    private WriteTransaction transaction() throws SQLException {
        if (tx == null) {
            tx = new WriteTransaction(connections.get());
        }
        return tx;
    }

    private void checkConnection() {
        boolean valid;
        try {
            valid = tx != null && tx.connection().isValid(2);
        } catch (SQLException e) {
            valid = false;
        }
        if (!valid) {
            closeTransaction();
        }
    }

    private void closeTransaction() {
        if (tx != null) {
            tx.close();
            tx = null;
        }
    }

    private static void failAll(BlockingQueue<Pending> queue, Exception cause) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.future().completeExceptionally(cause));
    }

    /**
     * Applies every write queued so far, then stops the thread and gives its connection back. Writes submitted
     * afterwards fail.
     */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the JDBC store's writer did not stop within 30 s");
            thread.interrupt();
        }
        failAll(queue, new IllegalStateException("the JDBC store is closed"));
    }
}
