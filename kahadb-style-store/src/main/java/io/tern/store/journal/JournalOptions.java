package io.tern.store.journal;

import java.util.Map;

/**
 * How a {@link JournalStore} writes.
 *
 * @param maxFileSize    a data file rolls over to the next one when a record would take it past this many bytes
 *                       (a single larger record gets a file of its own); {@value #MIN_FILE_SIZE} bytes to 1 GiB,
 *                       default 32 MiB
 * @param sync           when written records are forced to the disk; default {@link SyncPolicy#ALWAYS}
 * @param syncIntervalMs with {@link SyncPolicy#PERIODIC}: the longest time between forces, at least 1; default 1000
 * @param compactBelowPercent a data file that is not one of the newest two and whose live records take less than this
 *                       percentage of it is compacted: its live records are rewritten at the head of the journal
 *                       and the file is deleted. 0 turns compaction off; 0 to 50, default 10
 * @param checkpointIntervalMs how often a checkpoint of the index is written when something changed, at least 1;
 *                       default 5000. A restart replays only the journal written after the last checkpoint, so
 *                       this bounds restart time; files whose removes a checkpoint covers are reclaimed sooner
 * @param spinMicros     how long the writer thread polls for the next record after a batch before it parks, in µs:
 *                       a record arriving meanwhile (the next synchronous send) is taken without waking a parked
 *                       thread. It polls only while that pays (see {@code GroupCommitWriter}); 0 turns it off;
 *                       0 to {@value #MAX_SPIN_MICROS}, default {@value #DEFAULT_SPIN_MICROS}
 */
public record JournalOptions(long maxFileSize, SyncPolicy sync, int syncIntervalMs, int compactBelowPercent,
                             int checkpointIntervalMs, int spinMicros) {
    public static final long DEFAULT_FILE_SIZE = 32L * 1024 * 1024;
    public static final long MIN_FILE_SIZE = 4096;
    public static final long MAX_FILE_SIZE = 1L << 30;
    public static final int DEFAULT_SYNC_INTERVAL_MS = 1000;
    public static final int DEFAULT_COMPACT_BELOW_PERCENT = 10;
    public static final int MAX_COMPACT_BELOW_PERCENT = 50;
    public static final int DEFAULT_CHECKPOINT_INTERVAL_MS = 5000;
    public static final int DEFAULT_SPIN_MICROS = 100;
    public static final int MAX_SPIN_MICROS = 1000;

    /** The option keys, as the broker's configuration spells them. */
    public static final String FILE_SIZE_KEY = "journal.file-size";
    public static final String SYNC_KEY = "journal.sync";
    public static final String SYNC_INTERVAL_KEY = "journal.sync-interval-ms";
    public static final String COMPACT_BELOW_PERCENT_KEY = "journal.compact-below-percent";
    public static final String CHECKPOINT_INTERVAL_KEY = "journal.checkpoint-interval-ms";
    public static final String SPIN_MICROS_KEY = "journal.spin-micros";

    public JournalOptions {
        if (maxFileSize < MIN_FILE_SIZE || maxFileSize > MAX_FILE_SIZE) {
            throw new IllegalArgumentException(FILE_SIZE_KEY + " " + maxFileSize + " is outside " + MIN_FILE_SIZE
                    + ".." + MAX_FILE_SIZE);
        }
        if (sync == null) {
            throw new IllegalArgumentException(SYNC_KEY + " must be set");
        }
        if (syncIntervalMs < 1) {
            throw new IllegalArgumentException(SYNC_INTERVAL_KEY + " " + syncIntervalMs + " is below 1");
        }
        if (compactBelowPercent < 0 || compactBelowPercent > MAX_COMPACT_BELOW_PERCENT) {
            throw new IllegalArgumentException(COMPACT_BELOW_PERCENT_KEY + " " + compactBelowPercent + " is outside 0.."
                    + MAX_COMPACT_BELOW_PERCENT);
        }
        if (checkpointIntervalMs < 1) {
            throw new IllegalArgumentException(CHECKPOINT_INTERVAL_KEY + " " + checkpointIntervalMs + " is below 1");
        }
        if (spinMicros < 0 || spinMicros > MAX_SPIN_MICROS) {
            throw new IllegalArgumentException(SPIN_MICROS_KEY + " " + spinMicros + " is outside 0.." + MAX_SPIN_MICROS);
        }
    }

    /** Options with the default spin time. */
    public JournalOptions(long maxFileSize, SyncPolicy sync, int syncIntervalMs, int compactBelowPercent,
                          int checkpointIntervalMs) {
        this(maxFileSize, sync, syncIntervalMs, compactBelowPercent, checkpointIntervalMs, DEFAULT_SPIN_MICROS);
    }

    /** Options with the default checkpoint interval. */
    public JournalOptions(long maxFileSize, SyncPolicy sync, int syncIntervalMs, int compactBelowPercent) {
        this(maxFileSize, sync, syncIntervalMs, compactBelowPercent, DEFAULT_CHECKPOINT_INTERVAL_MS);
    }

    /** Options with the default compaction threshold and checkpoint interval. */
    public JournalOptions(long maxFileSize, SyncPolicy sync, int syncIntervalMs) {
        this(maxFileSize, sync, syncIntervalMs, DEFAULT_COMPACT_BELOW_PERCENT, DEFAULT_CHECKPOINT_INTERVAL_MS);
    }

    public static JournalOptions defaults() {
        return new JournalOptions(DEFAULT_FILE_SIZE, SyncPolicy.ALWAYS, DEFAULT_SYNC_INTERVAL_MS,
                DEFAULT_COMPACT_BELOW_PERCENT, DEFAULT_CHECKPOINT_INTERVAL_MS, DEFAULT_SPIN_MICROS);
    }

    public JournalOptions withMaxFileSize(long size) {
        return new JournalOptions(size, sync, syncIntervalMs, compactBelowPercent, checkpointIntervalMs, spinMicros);
    }

    public JournalOptions withSync(SyncPolicy policy, int intervalMs) {
        return new JournalOptions(maxFileSize, policy, intervalMs, compactBelowPercent, checkpointIntervalMs,
                spinMicros);
    }

    /** The same options with another compaction threshold; 0 turns compaction off. */
    public JournalOptions withCompactBelowPercent(int percent) {
        return new JournalOptions(maxFileSize, sync, syncIntervalMs, percent, checkpointIntervalMs, spinMicros);
    }

    /** The same options with another spin time; 0 makes the writer park as soon as it has nothing to write. */
    public JournalOptions withSpinMicros(int micros) {
        return new JournalOptions(maxFileSize, sync, syncIntervalMs, compactBelowPercent, checkpointIntervalMs, micros);
    }

    public JournalOptions withCheckpointInterval(int intervalMs) {
        return new JournalOptions(maxFileSize, sync, syncIntervalMs, compactBelowPercent, intervalMs, spinMicros);
    }

    /**
     * Options from the broker's store options ({@code journal.file-size}, {@code journal.sync},
     * {@code journal.sync-interval-ms}, {@code journal.compact-below-percent}, {@code journal.checkpoint-interval-ms},
     * {@code journal.spin-micros});
     * missing keys keep their defaults, other keys are ignored.
     *
     * @throws IllegalArgumentException naming the key and the bad value
     */
    public static JournalOptions from(Map<String, String> options) {
        JournalOptions d = defaults();
        return new JournalOptions(
                parse(options, FILE_SIZE_KEY, d.maxFileSize()),
                options.containsKey(SYNC_KEY) ? SyncPolicy.named(options.get(SYNC_KEY).trim()) : d.sync(),
                parseInt(options, SYNC_INTERVAL_KEY, d.syncIntervalMs()),
                parseInt(options, COMPACT_BELOW_PERCENT_KEY, d.compactBelowPercent()),
                parseInt(options, CHECKPOINT_INTERVAL_KEY, d.checkpointIntervalMs()),
                parseInt(options, SPIN_MICROS_KEY, d.spinMicros()));
    }

    /**
     * A whole number that must fit an int: a value beyond one is refused here, naming it, rather than narrowed (a
     * cast would wrap -4294967295 round to 1 and let the constructor accept it).
     */
    private static int parseInt(Map<String, String> options, String key, int fallback) {
        long value = parse(options, key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + "=" + options.get(key).trim() + " is out of range");
        }
        return (int) value;
    }

    private static long parse(Map<String, String> options, String key, long fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number");
        }
    }
}
