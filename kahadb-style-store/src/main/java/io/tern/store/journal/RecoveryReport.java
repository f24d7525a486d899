package io.tern.store.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * What recovery found wrong and did about it; each problem is also logged with its file and offset. Empty after a
 * clean shutdown or a crash that tore nothing.
 */
public final class RecoveryReport {
    /** One problem: where it is, what was wrong, what recovery did. */
    public record Problem(String file, long offset, String what, String action) {
        @Override
        public String toString() {
            return file + " at offset " + offset + ": " + what + "; " + action;
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private long records;
    private long liveMessages;
    private int files;

    private String checkpoint;
    private JournalPosition checkpointPosition;

    /** Records a problem, once (a second attempt at recovery may meet the same one again). */
    void problem(String file, long offset, String what, String action) {
        Problem problem = new Problem(file, offset, what, action);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    void replayed(int fileCount, long recordCount, long live) {
        this.files = fileCount;
        this.records = recordCount;
        this.liveMessages = live;
    }

    void loaded(String checkpointFile, JournalPosition position) {
        this.checkpoint = checkpointFile;
        this.checkpointPosition = position;
    }

    /** The checkpoint recovery started from (its file name), or null when it replayed every data file. */
    public String checkpoint() {
        return checkpoint;
    }

    /** Where in the journal the checkpoint recovery started from was taken, as {@code db-N.log@offset}; or null. */
    public String checkpointPosition() {
        return checkpointPosition == null ? null : checkpointPosition.toString();
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Records replayed (valid ones only): with a checkpoint, only those after its position. */
    public long records() {
        return records;
    }

    /** Data files replayed (in whole or, the one holding the checkpoint's position, in part). */
    public int files() {
        return files;
    }

    /** Messages in the index after recovery. */
    public long liveMessages() {
        return liveMessages;
    }

    @Override
    public String toString() {
        String from = checkpoint == null ? "no checkpoint, replayed " : "loaded " + checkpoint
                + " (journal position " + checkpointPosition + "), replayed ";
        return from + files + " files, " + records + " records; " + liveMessages + " live messages, "
                + problems.size() + " problems";
    }
}
