package io.tern.store.journal;

/**
 * Where bytes live in the journal: {@code length} bytes at {@code offset} of data file {@code db-<file>.log}. The
 * index keeps one per message, pointing at the envelope inside its ADD or TX record.
 */
record Location(int file, long offset, int length) {
    @Override
    public String toString() {
        return "db-" + file + ".log@" + offset + "+" + length;
    }
}
