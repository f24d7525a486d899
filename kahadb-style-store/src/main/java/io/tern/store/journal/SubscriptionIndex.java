package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live durable subscriptions by container, in the order they were recorded, each with the data file that holds
 * its SUBSCRIBE record (that file must stay while the subscription lives). Changed under the store's lock (or by
 * recovery, alone); the file of a new record is set by the writer thread once it is written.
 */
final class SubscriptionIndex {
    /** One live subscription and where its record is. */
    static final class Entry extends ReplaceableRecord {
        final StoredSubscription subscription;

        Entry(StoredSubscription subscription, int file, long bytes) {
            super(file, bytes);
            this.subscription = subscription;
        }
    }

    private final Map<String, Entry> byContainer = new LinkedHashMap<>();

    /** Records a subscription; returns the entry it replaces, or null. */
    synchronized Entry put(Entry entry) {
        return byContainer.put(entry.subscription.container(), entry);
    }

    synchronized Entry remove(String container) {
        return byContainer.remove(container);
    }

    synchronized Entry get(String container) {
        return byContainer.get(container);
    }

    /** The live entries, in the order recorded. */
    synchronized List<Entry> entries() {
        return new ArrayList<>(byContainer.values());
    }

    synchronized List<StoredSubscription> list() {
        List<StoredSubscription> all = new ArrayList<>(byContainer.size());
        byContainer.values().forEach(e -> all.add(e.subscription));
        return all;
    }

    synchronized int size() {
        return byContainer.size();
    }
}
