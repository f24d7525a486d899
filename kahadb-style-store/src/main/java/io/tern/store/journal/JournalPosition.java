package io.tern.store.journal;

/**
 * A point in the journal: every record in a data file numbered below {@code file}, and every record of
 * {@code db-<file>.log} that starts before {@code offset}, comes before it; everything else comes after. A checkpoint
 * records the position its index reflects; recovery replays only what comes after it.
 */
record JournalPosition(int file, long offset) implements Comparable<JournalPosition> {
    /** Before every record. */
    static final JournalPosition START = new JournalPosition(0, 0);

    JournalPosition {
        if (file < 0 || offset < 0) {
            throw new IllegalArgumentException("journal position db-" + file + ".log@" + offset + " is negative");
        }
    }

    /** True when all of data file {@code number} comes before this position. */
    boolean covers(int number) {
        return number < file;
    }

    @Override
    public int compareTo(JournalPosition other) {
        int byFile = Integer.compare(file, other.file);
        return byFile != 0 ? byFile : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return JournalFile.name(file) + "@" + offset;
    }
}
