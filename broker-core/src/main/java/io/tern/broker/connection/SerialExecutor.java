package io.tern.broker.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: a connection's requests are handled in order
 * without a thread of their own. {@link #runIfIdle} lets the caller run a task itself when nothing else of this
 * executor is queued or running (the connection's event loop, for a request that cannot block).
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /**
     * Runs {@code task} on the calling thread, now, when no task of this executor is queued or running; tasks
     * submitted meanwhile run after it, on the pool. Otherwise does nothing and returns false: the caller then
     * {@linkplain #execute queues} the task, behind the others.
     */
    boolean runIfIdle(Runnable task) {
        if (!tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return false;
        }
        try {
            runLogged(task);
        } finally {
            scheduled.set(false);
            schedule();
        }
        return true;
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                tasks.clear();
                LOG.debug("TERN-B0008 dropping connection tasks: the broker is stopping");
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                runLogged(task);
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }

    /** Runs a task; a task that fails is logged and the next one runs. */
    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("TERN-B0009 a connection task failed", e);
        }
    }
}
