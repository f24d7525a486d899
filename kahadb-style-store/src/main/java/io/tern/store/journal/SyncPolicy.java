package io.tern.store.journal;

import java.util.Arrays;
import java.util.Locale;

/** When the journal forces written records to the disk, and so when a write's future completes. */
public enum SyncPolicy {
    /** Every batch is forced before its futures complete: a completed write survives a power cut. The default. */
    ALWAYS,
    /**
     * Futures complete once the batch is written (in the OS page cache); the writer forces at most every
     * {@code journal.sync-interval-ms}. A process crash loses nothing; a power cut or kernel panic may lose the
     * writes of the last interval.
     */
    PERIODIC,
    /**
     * Futures complete once the batch is written; the journal forces only when it closes, leaving the rest to the
     * OS. A process crash loses nothing; a power cut may lose any write not yet flushed by the OS.
     */
    NEVER;

    /** The policy spelled {@code always}, {@code periodic} or {@code never}. */
    public static SyncPolicy named(String name) {
        for (SyncPolicy p : values()) {
            if (p.configName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("sync policy '" + name + "' is not one of "
                + Arrays.stream(values()).map(SyncPolicy::configName).toList());
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
