package io.tern.store.journal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data files that recovery no longer needs. A file goes when it is not the file being written, holds no
 * live add, and every file holding adds that its removes cancel is already gone (otherwise recovery would replay
 * those adds without the removes and bring the messages back). Files are checked in increasing order, so one pass
 * frees a whole chain. Runs on the writer thread after each batch, and once after recovery.
 */
final class FileCollector {
    private static final Logger LOG = LoggerFactory.getLogger(FileCollector.class);

    private final Journal journal;
    private final FileReferences references;
    private int lastCurrent = Integer.MIN_VALUE;

    FileCollector(Journal journal, FileReferences references) {
        this.journal = journal;
        this.references = references;
    }

    void collect() {
        int current = journal.currentNumber();
        if (!references.takeChanged() && current == lastCurrent) {
            return;
        }
        lastCurrent = current;
        for (int file : journal.fileNumbers()) {
            if (file == current || references.live(file) > 0
                    || references.cancelledIn(file).stream().anyMatch(journal::contains)) {
                continue;
            }
            try {
                journal.delete(file);
                references.forget(file);
                references.takeChanged();
            } catch (IOException e) {
                LOG.warn("TERN-J0031 cannot delete journal file {}: {}; will retry", JournalFile.name(file),
                        e.toString());
            }
        }
    }
}
