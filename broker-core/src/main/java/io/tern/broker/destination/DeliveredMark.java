package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliveryGate;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a store container's delivered mark ahead of its deliveries, so that after a crash every stored message that
 * may have reached a consumer is flagged as redelivered.
 *
 * <p>A persistent entry goes out only when its id is at or below the mark the store holds durably. The mark is
 * written ahead in steps of {@link #STEP} ids: when a delivery comes within half a step of it, the next step is
 * written in the background, so a steady stream of deliveries never waits and costs one small record per half
 * step, riding the store's group commit. Only the first delivery after a start (or one that jumps far ahead, a
 * high-priority arrival) waits for one write. After a crash at most one step of messages that were never delivered
 * come back flagged too, which the specification allows ("likely, but not guaranteed" a redelivery). At a clean
 * stop {@link #settle()} lowers the mark to the highest id actually delivered.
 */
final class DeliveredMark implements DeliveryGate {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveredMark.class);
    static final long STEP = 1000;

    private final Store store;
    private final String container;
    private final String what;
    private final Executor executor;
    private Runnable resume = () -> { };
    private final long recovered;
    private long durable;
    private long highestDelivered = Long.MIN_VALUE;
    private boolean writing;
    private long wanted = Long.MIN_VALUE;

    /**
     * @param recovered the mark the store held at start: ids up to it are taken as possibly delivered already
     * @param executor  where {@code resume} runs after a write (never the store's completing thread)
     */
    DeliveredMark(Store store, String container, String what, long recovered, Executor executor) {
        this.store = store;
        this.container = container;
        this.what = what;
        this.recovered = recovered;
        this.durable = recovered;
        this.executor = executor;
    }

    /** What to run when a refused entry may go: the dispatch queue's dispatch. */
    void resumeWith(Runnable dispatch) {
        this.resume = dispatch;
    }

    @Override
    public synchronized boolean admits(QueueEntry entry) {
        if (!entry.message().persistent()) {
            return true;
        }
        long id = entry.sequence();
        if (id <= durable) {
            highestDelivered = Math.max(highestDelivered, id);
            if (id > durable - STEP / 2) {
                advance(id);
            }
            return true;
        }
        advance(id);
        return false;
    }

    /** Starts a write of a mark above {@code id} unless one is in progress (then remembers {@code id}). */
    private void advance(long id) {
        if (writing) {
            wanted = Math.max(wanted, id);
            return;
        }
        long target = Math.max(id, durable) + STEP;
        writing = true;
        store.markDelivered(container, target).whenComplete((v, e) -> {
            synchronized (this) {
                writing = false;
                if (e == null) {
                    durable = Math.max(durable, target);
                } else {
                    LOG.error("TERN-B0320 {}: the store did not record the delivered mark {} ({}); deliveries of "
                            + "persistent messages wait until it does", what, target, e.toString());
                }
                if (wanted > durable && e == null) {
                    long next = wanted;
                    wanted = Long.MIN_VALUE;
                    advance(next);
                }
            }
            try {
                executor.execute(resume);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the broker is stopping: nothing is dispatched any more
            }
        });
    }

    /** The mark the store held at start: stored messages with ids up to it come back flagged redelivered. */
    long recovered() {
        return recovered;
    }

    /**
     * Lowers the mark to the highest id delivered since start, but never below the mark recovered at start (those
     * messages may have been delivered before it): the broker is stopping cleanly and no delivery follows. Waits for
     * the write.
     */
    void settle() {
        long exact;
        synchronized (this) {
            exact = Math.max(highestDelivered, recovered);
            if (exact >= durable) {
                return;
            }
            durable = exact;
        }
        CompletableFuture<Void> written = store.markDelivered(container, exact);
        try {
            written.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("TERN-B0321 {}: the exact delivered mark {} was not written at stop ({}); after a restart up to "
                    + "{} more messages are flagged redelivered", what, exact, e.toString(), STEP);
        }
    }
}
