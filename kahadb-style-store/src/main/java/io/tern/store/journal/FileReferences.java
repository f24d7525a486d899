package io.tern.store.journal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What keeps each data file needed: its live records (messages added there and not removed yet, durable
 * subscriptions recorded there, prepared branches whose PREPARE is there) with their bytes, and the files it must
 * outlive. A file holding a REMOVE must outlive the file holding the ADD it cancels: if the REMOVE went first,
 * recovery would replay the ADD and bring the message back. The same holds for a completion and its PREPARE, and
 * for a record compaction moved and its older copy.
 *
 * <p>The writer thread (or recovery, before the writer starts) changes it; any thread may read it (the live space
 * report), so its methods are synchronized.
 */
final class FileReferences {
    private final Map<Integer, Integer> live = new HashMap<>();
    private final Map<Integer, Long> liveBytes = new HashMap<>();
    private final Map<Integer, Set<Integer>> cancels = new HashMap<>();
    private boolean changed = true;

    /**
     * What one live message counts towards its file's live bytes: about the length of its ADD record (queue names
     * are counted in chars). Adds and removes count a message the same way.
     */
    static long messageBytes(String queue, Location envelope) {
        return RecordDescriptor.HEADER_LENGTH + 2L + queue.length() + 8 + 4 + envelope.length();
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
        Integer left = live.computeIfPresent(addFile, (f, n) -> n == 1 ? null : n - 1);
        liveBytes.computeIfPresent(addFile, (f, b) -> left == null ? null : b - bytes);
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
}
