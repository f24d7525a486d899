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
    static final class Entry {
        final String container;
        final long id;
        /** The data file holding its MARK record; -1 until written. Written by the writer thread. */
        volatile int file;
        /** The length of its MARK record. */
        volatile long bytes;

        Entry(String container, long id, int file, long bytes) {
            this.container = container;
            this.id = id;
            this.file = file;
            this.bytes = bytes;
        }

        /**
         * Writer thread: this entry's MARK record is written at {@code at}; it replaced {@code replaced} (or null),
         * whose record's file it must outlive.
         */
        void written(Entry replaced, Location at, FileReferences references) {
            file = at.file();
            bytes = at.length();
            references.added(at.file(), at.length());
            if (replaced != null) {
                references.removed(replaced.file, replaced.bytes, at.file());
            }
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
