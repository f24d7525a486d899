package io.tern.jms.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries a session gave its application and has not settled yet, in the order it gave them, with the
 * consumer of each: what CLIENT_ACKNOWLEDGE acknowledges, a transaction commits, recover gives back, DUPS_OK
 * acknowledges in batches, and a close tells the broker the application saw. Thread-safe.
 */
final class DeliveryLedger {
    private record Entry(long deliveryId, long consumerId) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(long deliveryId, long consumerId) {
        entries.add(new Entry(deliveryId, consumerId));
    }

    /** Adds a delivery; when the ledger then holds {@code batch} or more, takes them all, else returns null. */
    synchronized long[] addAndTakeAtLeast(long deliveryId, long consumerId, int batch) {
        entries.add(new Entry(deliveryId, consumerId));
        return entries.size() >= batch ? takeAll() : null;
    }

    /** Every delivery id, oldest first; the ledger is empty afterwards. */
    synchronized long[] takeAll() {
        long[] ids = entries.stream().mapToLong(Entry::deliveryId).toArray();
        entries.clear();
        return ids;
    }

    /** The delivery ids one consumer gave the application; they stay in the ledger. */
    synchronized long[] of(long consumerId) {
        return entries.stream().filter(e -> e.consumerId() == consumerId).mapToLong(Entry::deliveryId).toArray();
    }
}
