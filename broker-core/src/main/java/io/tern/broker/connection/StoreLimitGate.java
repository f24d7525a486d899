package io.tern.broker.connection;

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
 * instead of filling the disk. Sends leave in the order they came (a non-persistent send queues behind a waiting
 * persistent one, so a session's order holds); a send that waits longer than the configured time is refused with an
 * error naming the limit. Everything here runs on the connection's own executor; only the retry timer does not.
 */
final class StoreLimitGate {
    private static final Logger LOG = LoggerFactory.getLogger(StoreLimitGate.class);
    private static final long RETRY_MILLIS = 50;

    private final Store store;
    private final long limitBytes;
    private final long waitMillis;
    private final ScheduledExecutorService scheduler;
    private final Executor connectionExecutor;
    private final String client;
    /** Sends waiting for space; made when the first one waits (most connections never meet a full store). */
    private ArrayDeque<Parked> parked;
    private boolean retryScheduled;
    private boolean ended;

    private record Parked(boolean persistent, long sinceNanos, Runnable send, Consumer<String> refuse) {
    }

    /**
     * @param limitBytes the store usage at which persistent sends wait; 0 for no limit
     * @param waitMillis how long a send may wait before it is refused; 0 waits for ever
     * @param client     the connection, for log lines
     */
    StoreLimitGate(Store store, long limitBytes, long waitMillis, ScheduledExecutorService scheduler,
                   Executor connectionExecutor, String client) {
        this.store = store;
        this.limitBytes = limitBytes;
        this.waitMillis = waitMillis;
        this.scheduler = scheduler;
        this.connectionExecutor = connectionExecutor;
        this.client = client;
    }

    /** Runs {@code send} now, or parks it behind earlier sends while the store is full. */
    void submit(boolean persistent, Runnable send, Consumer<String> refuse) {
        if (nothingParked() && !(persistent && full())) {
            send.run();
            return;
        }
        if (parked == null) {
            parked = new ArrayDeque<>();
        }
        if (parked.isEmpty()) {
            LOG.warn("TERN-B0501 store usage {} bytes is at its limit store-limit={}: sends of connection {} wait",
                    store.usedBytes(), limitBytes, client);
        }
        parked.add(new Parked(persistent, System.nanoTime(), send, refuse));
        scheduleRetry();
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
            if (p.persistent() && full()) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p.sinceNanos());
                if (waitMillis == 0 || waited < waitMillis) {
                    break;
                }
                parked.poll();
                p.refuse().accept("the store holds " + store.usedBytes() + " bytes, at its limit store-limit="
                        + limitBytes + "; the send waited " + waited + " ms (store-limit-wait-ms=" + waitMillis
                        + ") for space that consumers free");
                continue;
            }
            parked.poll().send().run();
        }
        if (!nothingParked() && !ended) {
            scheduleRetry();
        } else if (!ended) {
            LOG.info("TERN-B0502 sends of connection {} flow again (store usage {} bytes, limit {})", client,
                    store.usedBytes(), limitBytes);
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            scheduler.schedule(() -> connectionExecutor.execute(this::retry), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
