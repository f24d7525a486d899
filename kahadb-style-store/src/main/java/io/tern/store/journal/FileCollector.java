package io.tern.store.journal;

import java.io.IOException;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data files that recovery no longer needs. A file goes when it is not the file being written, holds no
 * live add, and recovery cannot need its records:
 * <ul>
 * <li>without checkpoints, when every file holding adds that its removes cancel is gone already (otherwise a
 *     replay would bring those messages back);</li>
 * <li>with checkpoints, also when the file lies entirely before the position of the older of the two checkpoints
 *     kept ({@link Checkpointer#KEPT}): both reflect its removes, so whichever recovery loads, the file's records
 *     are not replayed. A file after a kept checkpoint's position needs, besides, that none of the adds its removes
 *     cancel lies in that checkpoint's index, that is, in a file at or before its position.</li>
 * </ul>
 * Files are checked in increasing order, so one pass frees a whole chain. Runs on the writer thread after each
 * batch and after each checkpoint, and once after recovery.
 */
final class FileCollector {
    private static final Logger LOG = LoggerFactory.getLogger(FileCollector.class);

    private final Journal journal;
    private final FileReferences references;
    private int lastCurrent = Integer.MIN_VALUE;
    private int olderFloor;
    private int newerFloor;
    private boolean floorsChanged;

    FileCollector(Journal journal, FileReferences references) {
        this.journal = journal;
        this.references = references;
    }

    /**
     * The position files of the kept checkpoints: the older one (0 while fewer than two are kept, so that a full
     * replay still works) and the newer one (0 while none is). Writer thread.
     */
    void floors(int older, int newer) {
        if (older > newer) {
            throw new IllegalArgumentException("older checkpoint floor " + older + " is above the newer, " + newer);
        }
        floorsChanged |= older != olderFloor || newer != newerFloor;
        olderFloor = older;
        newerFloor = newer;
    }

    void collect() {
        int current = journal.currentNumber();
        if (!references.takeChanged() && current == lastCurrent && !floorsChanged) {
            return;
        }
        lastCurrent = current;
        floorsChanged = false;
        for (int file : journal.fileNumbers()) {
            if (!deletable(file, current, references.live(file), references.cancelledIn(file), journal::contains,
                    olderFloor, newerFloor)) {
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

    /**
     * Whether recovery can do without data file {@code file}.
     *
     * @param current    the file being written (never deletable)
     * @param live       its live adds
     * @param cancels    the files holding adds that its removes cancel
     * @param exists     whether a data file is still there
     * @param olderFloor the position file of the older kept checkpoint, 0 when fewer than two are kept
     * @param newerFloor the position file of the newer kept checkpoint, 0 when none is kept
     */
    static boolean deletable(int file, int current, int live, Set<Integer> cancels, IntPredicate exists,
                             int olderFloor, int newerFloor) {
        if (file == current || live > 0) {
            return false;
        }
        if (file < olderFloor) {
            return true; // both kept checkpoints come after all of it
        }
        // the checkpoints that do not cover the file: their indexes must not hold what its removes cancel
        int floor = file < newerFloor ? olderFloor : newerFloor;
        for (int cancelled : cancels) {
            if (cancelled <= floor || exists.test(cancelled)) {
                return false;
            }
        }
        return true;
    }
}
