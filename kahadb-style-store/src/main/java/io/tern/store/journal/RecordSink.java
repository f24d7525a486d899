package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where the {@link GroupCommitWriter} puts records: the {@link Journal}'s files, or a test's stand-in. */
interface RecordSink {
    /**
     * Appends {@code records[0..count)} in order, rolling over to new files as needed.
     *
     * @return where each record starts: its file, its offset and its length (header included)
     */
    Location[] append(ByteBuffer[] records, int count) throws IOException;

    /** Forces everything appended so far to the disk. */
    void force() throws IOException;

    /** Where the next record goes: the position right after every record appended so far. */
    JournalPosition position();

    /** The file being written, for error messages. */
    String currentFile();
}
