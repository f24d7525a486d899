package io.tern.broker.connection;

import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.store.Store;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection's sends while the store is at its usage limit, so producers of persistent messages wait
 * instead of filling the disk, and while messages that cannot page (non-persistent ones, and those held for
 * non-durable topic subscribers) take the whole {@code memory-limit}, so producers of such messages wait instead of
 * filling the heap. Sends leave in the order they came (a non-persistent send queues behind a waiting persistent
 * one, so a session's order holds); a send that waits longer than the configured time is refused with an error
 * naming the limit, and is not routed. Everything here runs on the connection's own executor; only the retry timer
 * does not.
 */
final class StoreLimitGate {
    private static final Logger LOG = LoggerFactory.getLogger(StoreLimitGate.class);
    private static final long RETRY_MILLIS = 50;

    private final Store store;
    private final MemoryBudget memory;
    private final long limitBytes;
    private final long waitMillis;
    private final ScheduledExecutorService scheduler;
    private final Executor connectionExecutor;
    private final String client;
    /** Sends waiting for space; made when the first one waits (most connections never meet a full store). */
    private ArrayDeque<Parked> parked;
    private boolean retryScheduled;
    private boolean ended;

    private record Parked(boolean persistent, boolean memoryBound, long sinceNanos, Runnable send,
                          Consumer<String> refuse) {
    }

    /**
     * @param limitBytes the store usage at which persistent sends wait; 0 for no limit
     * @param waitMillis how long a send may wait before it is refused; 0 waits for ever
     * @param client     the connection, for log lines
     */
    StoreLimitGate(Store store, MemoryBudget memory, long limitBytes, long waitMillis,
                   ScheduledExecutorService scheduler, Executor connectionExecutor, String client) {
        this.store = store;
        this.memory = memory;
        this.limitBytes = limitBytes;
        this.waitMillis = waitMillis;
        this.scheduler = scheduler;
        this.connectionExecutor = connectionExecutor;
        this.client = client;
    }

    /**
     * Runs {@code send} now, or parks it behind earlier sends while the store is full (a persistent send) or
     * messages that cannot page fill the memory limit (a send with {@code memoryBound}).
     *
     * @param memoryBound a message that cannot page (non-persistent, or to a topic that has a non-durable subscriber),
     *                    whose send waits while such messages fill {@code memory-limit} (the connection exempts those
     *                    it could wait for itself)
     */
    void submit(boolean persistent, boolean memoryBound, Runnable send, Consumer<String> refuse) {
        if (nothingParked() && !mustWait(persistent, memoryBound)) {
            send.run();
            return;
        }
        if (parked == null) {
            parked = new ArrayDeque<>();
        }
        if (parked.isEmpty()) {
            if (persistent && full()) {
                LOG.warn("TERN-B0501 store usage {} bytes is at its limit store-limit={}: sends of connection {} "
                        + "wait", store.usedBytes(), limitBytes, client);
            } else {
                LOG.warn("TERN-B0503 messages that cannot page (non-persistent ones, and those held for non-durable"
                        + " topic subscribers) take {} bytes, the whole memory-limit={}: sends of such messages by"
                        + " connection {} wait for consumers", memory.unpageableHeldBytes(), memory.limitBytes(),
                        client);
            }
        }
        parked.add(new Parked(persistent, memoryBound, System.nanoTime(), send, refuse));
        scheduleRetry();
    }

    /**
     * Runs {@code task} now, or in order behind the sends parked before it: a commit or rollback so handles every
     * send of its transaction first.
     */
    void afterParked(Runnable task) {
        submit(false, false, task, reason -> {
            throw new IllegalStateException("a task that never waits for space was refused: " + reason);
        });
    }

    private boolean mustWait(boolean persistent, boolean memoryBound) {
        return persistent && full() || memoryBound && memory.unpageableFull();
    }

    /** The connection ended: parked sends are dropped unanswered (the client is gone). */
    void end() {
        ended = true;
        if (parked != null) {
            parked.clear();
        }
    }

    private boolean nothingParked() {
        return parked == null || parked.isEmpty();
    }

    private boolean full() {
        return limitBytes > 0 && store.usedBytes() >= limitBytes;
    }

    private void retry() {
        retryScheduled = false;
        while (!nothingParked() && !ended) {
            Parked p = parked.peek();
            if (mustWait(p.persistent(), p.memoryBound())) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p.sinceNanos());
                if (waitMillis == 0 || waited < waitMillis) {
                    break;
                }
                parked.poll();
                p.refuse().accept(p.persistent() && full()
                        ? "the store holds " + store.usedBytes() + " bytes, at its limit store-limit=" + limitBytes
                                + "; the send waited " + waited + " ms (store-limit-wait-ms=" + waitMillis
                                + ") for space that consumers free"
                        : "messages that cannot page (non-persistent ones, and those held for non-durable topic"
                                + " subscribers) take " + memory.unpageableHeldBytes() + " bytes, the whole"
                                + " memory-limit=" + memory.limitBytes() + ";"
                                + " the send waited " + waited + " ms (store-limit-wait-ms=" + waitMillis
                                + ") for consumers to take messages");
                continue;
            }
            parked.poll().send().run();
        }
        if (!nothingParked() && !ended) {
            scheduleRetry();
        } else if (!ended) {
            LOG.info("TERN-B0502 sends of connection {} flow again (store usage {} bytes, store-limit={}; "
                    + "messages that cannot page {} bytes, memory-limit={})", client, store.usedBytes(),
                    limitBytes, memory.unpageableHeldBytes(), memory.limitBytes());
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            scheduler.schedule(() -> connectionExecutor.execute(this::retry), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
