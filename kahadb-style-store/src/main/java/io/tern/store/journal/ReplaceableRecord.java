package io.tern.store.journal;

/**
 * A live record that a newer record of the same key replaces (a subscription's SUBSCRIBE, a container's MARK), and
 * where it is. The replaced record's file must outlive the replacing one's: if the newer file went first, a restart
 * would replay the older record.
 */
abstract class ReplaceableRecord {
    /** The data file holding the record; -1 until written. Written by the writer thread. */
    volatile int file;
    /** The record's length. */
    volatile long bytes;

    ReplaceableRecord(int file, long bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /**
     * Writer thread: this record is written at {@code at}; it replaced {@code replaced} (or null), whose record's file
     * it must outlive.
     */
    void written(ReplaceableRecord replaced, Location at, FileReferences references) {
        file = at.file();
        bytes = at.length();
        references.added(at.file(), at.length());
        if (replaced != null) {
            references.removed(replaced.file, replaced.bytes, at.file());
        }
    }
}
