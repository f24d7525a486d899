package io.tern.store.journal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data files that recovery no longer needs. A file goes when it is not the file being written, holds no
 * live add, and no recovery can need its records. Recovery starts from any checkpoint on disk (the newest usable
 * one) or, when there is none, replays every file; so for every such starting point (a "floor": the data file of a
 * checkpoint's position, 0 for a full replay) one of these holds:
 * <ul>
 * <li>the file lies entirely before the floor: the checkpoint reflects its records, which are not replayed;</li>
 * <li>every file holding adds that its removes cancel is gone already and lies after the floor, so no replay and
 *     no checkpoint index brings those messages back without the removes.</li>
 * </ul>
 * Without checkpoints that is the cancel chain alone. With them, a file both kept checkpoints cover goes whatever
 * its removes cancel, which frees space far sooner. The floors are those of the kept checkpoints (with 0 while fewer
 * than {@link Checkpointer#KEPT} are kept, so a full replay stays possible) plus, from its snapshot on, the one being
 * written. Files are checked in increasing order, so one pass frees a whole chain. Runs on the writer thread after
 * each batch and after each checkpoint, and once after recovery.
 */
final class FileCollector {
    private static final Logger LOG = LoggerFactory.getLogger(FileCollector.class);

    private final Journal journal;
    private final FileReferences references;
    private int lastCurrent = Integer.MIN_VALUE;
    /** Set on the writer thread (or before it starts); read by any thread (the space report). */
    private volatile int[] floors = {0};
    private boolean floorsChanged;

    FileCollector(Journal journal, FileReferences references) {
        this.journal = journal;
        this.references = references;
    }

    /** Where recoveries may start: see the class comment. Writer thread (or before it starts). */
    void floors(int[] starts) {
        int[] sorted = starts.clone();
        Arrays.sort(sorted);
        floorsChanged |= !Arrays.equals(sorted, floors);
        floors = sorted;
    }

    int[] floors() {
        return floors.clone();
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
                    floors)) {
                continue;
            }
            try {
                journal.delete(file);
                references.forget(file);
                references.takeChanged();
            } catch (IOException e) {
                LOG.warn("TERN-J0031 cannot delete journal file {}: {}; the next start deletes it",
                        JournalFile.name(file), e.toString());
            }
        }
    }

    /**
     * Whether recovery can do without data file {@code file}.
     *
     * @param current the file being written (never deletable)
     * @param live    its live adds
     * @param cancels the files holding adds that its removes cancel
     * @param exists  whether a data file is still there
     * @param floors  where recoveries may start (see the class comment), ascending
     */
    static boolean deletable(int file, int current, int live, Set<Integer> cancels, IntPredicate exists,
                             int[] floors) {
        if (file == current || live > 0) {
            return false;
        }
        // the highest floor the file does not lie entirely before; none: every start point reflects the file
        int floor = -1;
        for (int f : floors) {
            if (f <= file) {
                floor = f;
            }
        }
        if (floor < 0) {
            return true;
        }
        for (int cancelled : cancels) {
            if (cancelled <= floor || exists.test(cancelled)) {
                return false;
            }
        }
        return true;
    }
}
