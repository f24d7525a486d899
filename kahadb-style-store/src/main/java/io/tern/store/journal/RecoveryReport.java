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

    void problem(String file, long offset, String what, String action) {
        problems.add(new Problem(file, offset, what, action));
    }

    void replayed(int fileCount, long recordCount, long live) {
        this.files = fileCount;
        this.records = recordCount;
        this.liveMessages = live;
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Records replayed (valid ones only). */
    public long records() {
        return records;
    }

    /** Data files replayed. */
    public int files() {
        return files;
    }

    /** Messages in the index after recovery. */
    public long liveMessages() {
        return liveMessages;
    }

    @Override
    public String toString() {
        return files + " files, " + records + " records, " + liveMessages + " live messages, " + problems.size()
                + " problems";
    }
}
