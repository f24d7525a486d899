package io.tern.store.journal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What keeps each data file needed: its live records (messages added there and not removed yet, durable
 * subscriptions recorded there, prepared branches whose PREPARE is there, delivered marks written there) with their
 * bytes, and the files it must outlive. A file holding a REMOVE must outlive the file holding the ADD it cancels: if
 * the REMOVE went first, recovery would replay the ADD and bring the message back (unless the kept checkpoints come
 * after both, see {@link FileCollector}). The same holds for a completion and its PREPARE, for a record compaction
 * moved and its older copy, and for a MARK or SUBSCRIBE and the one it replaces.
 *
 * <p>The writer thread (or recovery, before the writer starts) changes it; any thread may read it (the live space
 * report), so its methods are synchronized. A checkpoint holds a {@link #snapshot} taken at its writer barrier, and
 * recovery {@link #restore}s it before replaying what follows the checkpoint.
 */
final class FileReferences {
    /** A copy of the references at one moment, for a checkpoint: live records, their bytes and cancelled files. */
    record Snapshot(Map<Integer, Integer> live, Map<Integer, Long> liveBytes, Map<Integer, Set<Integer>> cancels) {
        /** Every file any map names, in order. */
        Set<Integer> files() {
            Set<Integer> files = new TreeSet<>(live.keySet());
            files.addAll(cancels.keySet());
            return files;
        }
    }

    private final Map<Integer, Integer> live = new HashMap<>();
    private final Map<Integer, Long> liveBytes = new HashMap<>();
    private final Map<Integer, Set<Integer>> cancels = new HashMap<>();
    private boolean changed = true;

    /**
     * What one live message counts towards its file's live bytes: about the length of its ADD record (queue names
     * are counted in chars). Adds and removes count a message the same way.
     */
    static long messageBytes(String queue, Location envelope) {
        return messageBytes(queue, envelope.length());
    }

    static long messageBytes(String queue, int envelopeLength) {
        return RecordDescriptor.HEADER_LENGTH + 2L + queue.length() + 8 + 4 + envelopeLength;
    }

    /** A record of {@code bytes} bytes that keeps {@code file} was written there. */
    synchronized void added(int file, long bytes) {
        live.merge(file, 1, Integer::sum);
        liveBytes.merge(file, bytes, Long::sum);
    }

    /**
     * A record written in {@code removeFile} cancelled a live record of {@code bytes} bytes in {@code addFile}:
     * {@code removeFile} must outlive {@code addFile}.
     */
    synchronized void removed(int addFile, long bytes, int removeFile) {
        removed(addFile, 1, bytes, removeFile);
    }

    /**
     * A record written in {@code removeFile} cancelled {@code count} live records of {@code bytes} bytes in all in
     * {@code addFile} (an UNSUBSCRIBE cancels every message of a container).
     */
    synchronized void removed(int addFile, int count, long bytes, int removeFile) {
        Integer left = live.computeIfPresent(addFile, (f, n) -> n <= count ? null : n - count);
        liveBytes.computeIfPresent(addFile, (f, b) -> left == null ? null : Math.max(0, b - bytes));
        if (left == null) {
            changed = true;
        }
        guard(removeFile, addFile);
    }

    /** {@code file} must outlive {@code older}: records in it cancel records there. */
    synchronized void guard(int file, int older) {
        if (file != older) {
            cancels.computeIfAbsent(file, f -> new TreeSet<>()).add(older);
        }
    }

    /** Live records in {@code file}. */
    synchronized int live(int file) {
        return live.getOrDefault(file, 0);
    }

    /** The bytes of the live records in {@code file}, as their writers counted them. */
    synchronized long liveBytes(int file) {
        return liveBytes.getOrDefault(file, 0L);
    }

    /** The files holding records that records in {@code file} cancel; {@code file} must outlive them. */
    synchronized Set<Integer> cancelledIn(int file) {
        Set<Integer> files = cancels.get(file);
        return files == null ? Set.of() : Set.copyOf(files);
    }

    /** The files holding live records, in order. */
    synchronized Set<Integer> liveFiles() {
        return new TreeSet<>(live.keySet());
    }

    /** Forgets a deleted file. */
    synchronized void forget(int file) {
        live.remove(file);
        liveBytes.remove(file);
        cancels.remove(file);
        changed = true;
    }

    /** True once since the last call when a file may have become collectable. */
    synchronized boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }

    /** A copy for a checkpoint. */
    synchronized Snapshot snapshot() {
        Map<Integer, Set<Integer>> cancelCopy = new TreeMap<>();
        cancels.forEach((file, cancelled) -> cancelCopy.put(file, new TreeSet<>(cancelled)));
        return new Snapshot(new TreeMap<>(live), new TreeMap<>(liveBytes), cancelCopy);
    }

    /** Sets one file's references as a checkpoint recorded them (recovery, before any record is replayed). */
    synchronized void restore(int file, int liveRecords, long bytes, int[] cancelled) {
        if (liveRecords > 0) {
            live.put(file, liveRecords);
            liveBytes.put(file, bytes);
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
