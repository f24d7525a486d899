package io.tern.store.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The containers' delivered marks (see {@code Store#markDelivered}): the last one written per container, each with
 * the data file that holds its MARK record. A live mark keeps its file like a subscription's SUBSCRIBE does; a newer
 * mark of the same container cancels the older record, so its file must outlive the older one's. Changed under the
 * store's lock (or by recovery, alone); the file of a new record is set by the writer thread once it is written.
 */
final class MarkIndex {
    /** One container's mark and where its record is. */
    static final class Entry extends ReplaceableRecord {
        final String container;
        final long id;

        Entry(String container, long id, int file, long bytes) {
            super(file, bytes);
            this.container = container;
            this.id = id;
        }

        /** A copy as it is now (a checkpoint's, taken at its writer barrier). */
        Entry copy() {
            if (file < 0) {
                throw new IllegalStateException("the delivered mark of '" + container + "' has no data file at the "
                        + "checkpoint's barrier");
            }
            return new Entry(container, id, file, bytes);
        }
    }

    private final Map<String, Entry> byContainer = new TreeMap<>();

    /** Records a mark; returns the entry it replaces, or null. */
    synchronized Entry put(Entry entry) {
        return byContainer.put(entry.container, entry);
    }

    synchronized Entry remove(String container) {
        return byContainer.remove(container);
    }

    synchronized Entry get(String container) {
        return byContainer.get(container);
    }

    /** The live entries, by container name. */
    synchronized List<Entry> entries() {
        return new ArrayList<>(byContainer.values());
    }

    synchronized int size() {
        return byContainer.size();
    }
}
