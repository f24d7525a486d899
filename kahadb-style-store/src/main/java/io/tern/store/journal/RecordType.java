package io.tern.store.journal;

/** What a journal record holds; the code is the record's type byte ({@link RecordDescriptor#TYPE_OFFSET}). */
enum RecordType {
    /** One message added to one queue. */
    ADD(1),
    /** One message removed (acknowledged) from one queue. */
    REMOVE(2),
    /** Every add and remove of one committed transaction: all of them are in the journal, or none. */
    TX(3),
    /** A durable subscription recorded (or its record replaced), keyed by its container. */
    SUBSCRIBE(4),
    /** A durable subscription deleted, with every message of its container. */
    UNSUBSCRIBE(5),
    /**
     * A prepared XA branch: its identity, its place in prepare order and its adds and removes, applied only when a
     * {@link #COMMIT_PREPARED} follows. A PREPARE of a branch that is prepared already is the same branch rewritten
     * by compaction: it now lives here.
     */
    PREPARE(6),
    /** A prepared branch committed: its adds and removes apply now. */
    COMMIT_PREPARED(7),
    /** A prepared branch rolled back: forgotten. */
    ROLLBACK_PREPARED(8),
    /** A live message rewritten by compaction: the same message (same queue, id and envelope) now lives here. */
    MOVE(9),
    /**
     * A container's delivered mark: messages up to this id may have reached a consumer. The last MARK of a
     * container wins; an {@link #UNSUBSCRIBE} of the container forgets it. Compaction rewrites a live one as is.
     */
    MARK(10);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The type with this code, or null for a code no type has. */
    static RecordType of(int code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
