package io.tern.store.journal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What keeps each data file needed: its live adds (messages added there and not removed yet, and durable
 * subscriptions recorded there), and the files whose adds its removes cancel. A file holding a REMOVE must outlive
 * the file holding the ADD it cancels: if the REMOVE went first, recovery would replay the ADD and bring the message
 * back (unless a checkpoint covers the REMOVE, see {@link FileCollector}). Only the writer thread (or recovery,
 * before the writer starts) uses this class.
 */
final class FileReferences {
    /** A copy of the references at one moment, for a checkpoint: live adds and cancelled files, by file. */
    record Snapshot(Map<Integer, Integer> live, Map<Integer, Set<Integer>> cancels) {
        /** Every file either map names, in order. */
        Set<Integer> files() {
            Set<Integer> files = new TreeSet<>(live.keySet());
            files.addAll(cancels.keySet());
            return files;
        }
    }

    private final Map<Integer, Integer> live = new HashMap<>();
    private final Map<Integer, Set<Integer>> cancels = new HashMap<>();
    private boolean changed = true;

    /** A message (or subscription) was added in {@code file}. */
    void added(int file) {
        live.merge(file, 1, Integer::sum);
    }

    /** A REMOVE written in {@code removeFile} cancelled a message added in {@code addFile}. */
    void removed(int addFile, int removeFile) {
        removed(addFile, 1, removeFile);
    }

    /** A record written in {@code removeFile} cancelled {@code count} messages added in {@code addFile}. */
    void removed(int addFile, int count, int removeFile) {
        Integer left = live.computeIfPresent(addFile, (f, n) -> n <= count ? null : n - count);
        if (left == null) {
            changed = true;
        }
        if (addFile != removeFile) {
            cancels.computeIfAbsent(removeFile, f -> new TreeSet<>()).add(addFile);
        }
    }

    /** Messages added in {@code file} and not removed. */
    int live(int file) {
        return live.getOrDefault(file, 0);
    }

    /** The files holding adds that removes in {@code file} cancel; {@code file} must outlive them. */
    Set<Integer> cancelledIn(int file) {
        return cancels.getOrDefault(file, Set.of());
    }

    /** The files holding live adds, in order. */
    Set<Integer> liveFiles() {
        return new TreeSet<>(live.keySet());
    }

    /** Forgets a deleted file. */
    void forget(int file) {
        live.remove(file);
        cancels.remove(file);
        changed = true;
    }

    /** True once since the last call when a file may have become collectable. */
    boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }

    /** A copy for a checkpoint. */
    Snapshot snapshot() {
        Map<Integer, Set<Integer>> cancelCopy = new TreeMap<>();
        cancels.forEach((file, cancelled) -> cancelCopy.put(file, new TreeSet<>(cancelled)));
        return new Snapshot(new TreeMap<>(live), cancelCopy);
    }

    /** Sets one file's references as a checkpoint recorded them (recovery, before any record is replayed). */
    void restore(int file, int liveAdds, int[] cancelled) {
        if (liveAdds > 0) {
            live.put(file, liveAdds);
        }
        if (cancelled.length > 0) {
            Set<Integer> set = cancels.computeIfAbsent(file, f -> new TreeSet<>());
            for (int c : cancelled) {
                set.add(c);
            }
        }
        changed = true;
    }
}
