package io.tern.jms.client;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * AUTO_ACKNOWLEDGE acknowledgements a session holds back so that several go in one ACK frame: those of
 * non-persistent messages a plain topic subscriber received (see {@link TernSession#delivered}). Oldest first.
 *
 * <p>Only a consumer that takes messages in quick succession has its acknowledgements held: one that comes after a
 * pause of {@code maxAge} or more goes at once, with whatever is held, and so do the held ones once the oldest is
 * that old. So the broker hears of every message taken within about {@code maxAge} of the next one, and a
 * consumer that takes messages slowly acknowledges each as before (the broker's producer flow control takes a
 * consumer that acknowledges nothing for a while as stalled). Thread-safe; {@link #isEmpty()} takes no lock, so a
 * receive can look before it waits.
 */
final class PendingAcks {
    private static final long[] NONE = new long[0];

    private final int batch;
    private final long maxAgeNanos;
    private final LongSupplier clock;
    private long[] ids = new long[16];
    private int size;
    /** When the oldest held id was added. */
    private long oldestNanos;
    /** When the last id was added (at first, when this was made). */
    private long lastAddNanos;
    private volatile boolean empty = true;

    /**
     * @param batch       at most this many are held
     * @param maxAgeNanos how long the oldest may be held, and the pause after which one is not held at all
     * @param clock       {@link System#nanoTime()}, or a test's
     */
    PendingAcks(int batch, long maxAgeNanos, LongSupplier clock) {
        this.batch = Math.max(1, batch);
        this.maxAgeNanos = maxAgeNanos;
        this.clock = clock;
        this.lastAddNanos = clock.getAsLong();
    }

    /**
     * Adds a delivery the application just received. Returns every held id, this one last, when they are to go now
     * (the batch is full, the oldest is {@code maxAge} old, or this one came after a pause of that long); else null.
     */
    synchronized long[] addAndTake(long deliveryId) {
        long now = clock.getAsLong();
        boolean afterPause = now - lastAddNanos >= maxAgeNanos;
        lastAddNanos = now;
        add(deliveryId, now);
        return afterPause || size >= batch || now - oldestNanos >= maxAgeNanos ? takeAll() : null;
    }

    /** Every held delivery id and then {@code deliveryId}: one frame for all, in the order they were received. */
    synchronized long[] takeAllWith(long deliveryId) {
        add(deliveryId, clock.getAsLong());
        return takeAll();
    }

    /** Every held delivery id, oldest first; none are held afterwards. */
    synchronized long[] takeAll() {
        if (size == 0) {
            return NONE;
        }
        long[] all = Arrays.copyOf(ids, size);
        size = 0;
        empty = true;
        return all;
    }

    boolean isEmpty() {
        return empty;
    }

    private void add(long deliveryId, long now) {
        if (size == 0) {
            oldestNanos = now;
        }
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = deliveryId;
        empty = false;
    }
}
