package io.tern.jms.client;

import java.util.Arrays;

/**
 * AUTO_ACKNOWLEDGE acknowledgements a session holds back so that several go in one ACK frame: those of
 * non-persistent messages a plain topic subscriber received (see {@link TernSession#delivered}). Oldest first.
 * Thread-safe; {@link #isEmpty()} takes no lock, so a receive can look before it waits.
 */
final class PendingAcks {
    private static final long[] NONE = new long[0];

    private long[] ids = new long[16];
    private int size;
    private volatile boolean empty = true;

    /** Adds a delivery; when {@code batch} or more are held then, takes them all, else returns null. */
    synchronized long[] addAndTakeAtLeast(long deliveryId, int batch) {
        add(deliveryId);
        return size >= batch ? takeAll() : null;
    }

    /** Every held delivery id and then {@code deliveryId}: one frame for all, in the order they were received. */
    synchronized long[] takeAllWith(long deliveryId) {
        add(deliveryId);
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

    private void add(long deliveryId) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = deliveryId;
        empty = false;
    }
}
