package io.tern.store.journal;

/**
 * The index's entry for one message: where its envelope is in the journal. Until the writer has written it, the
 * entry holds the envelope itself (so a read before the write completes still works); after, only the location.
 */
final class MessageRef {
    private volatile Location location;
    private volatile byte[] pending;

    private MessageRef(Location location, byte[] pending) {
        this.location = location;
        this.pending = pending;
    }

    /** A message submitted to the writer, not written yet. */
    static MessageRef pending(byte[] envelope) {
        return new MessageRef(null, envelope);
    }

    /** A message read back from the journal by recovery. */
    static MessageRef at(Location location) {
        return new MessageRef(location, null);
    }

    /** The writer wrote the envelope at {@code location}: drop the heap copy. Writer thread. */
    void written(Location where) {
        location = where;
        pending = null;
    }

    /** Where the envelope is, or null while only the heap copy exists. */
    Location location() {
        return location;
    }

    /** The heap copy, or null once written; check {@link #location()} first, then this, then the location again. */
    byte[] pendingEnvelope() {
        return pending;
    }
}
