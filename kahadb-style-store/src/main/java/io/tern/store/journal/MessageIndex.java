package io.tern.store.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The live messages, per queue, in id order, each with where its envelope is: a {@link QueueIndex} per queue, about
 * 20 bytes per message (no object per message), so a backlog far larger than the heap fits as references. No
 * envelope stays here once written. Changes are made under the store's lock (or by recovery, alone), except
 * {@link #written}, which the writer thread calls; reads need no lock.
 */
final class MessageIndex {
    private final Map<String, QueueIndex> queues = new ConcurrentHashMap<>();

    /**
     * The entries a {@link #removeAll} took out: how many per data file (and the bytes they counted there), and
     * those not written yet.
     */
    static final class Removed {
        /** Receives one data file's share of what was removed. */
        interface PerFile {
            void accept(int file, int count, long bytes);
        }

        private final String queue;
        private final Map<Integer, Integer> perFile = new HashMap<>();
        private final Map<Integer, Long> bytesPerFile = new HashMap<>();
        private final List<MessageRef> pending = new ArrayList<>();
        private int count;

        Removed(String queue) {
            this.queue = queue;
        }

        void written(int file, int envelopeLength) {
            perFile.merge(file, 1, Integer::sum);
            bytesPerFile.merge(file, FileReferences.messageBytes(queue, envelopeLength), Long::sum);
            count++;
        }

        void pending(MessageRef ref) {
            pending.add(ref);
            count++;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /**
         * Passes each data file that held removed messages with how many. Call on the writer thread after the adds
         * of the pending ones were written, so that they have a location.
         */
        void forEachFile(BiConsumer<Integer, Integer> action) {
            forEachFile((file, n, bytes) -> action.accept(file, n));
        }

        /** As {@link #forEachFile(BiConsumer)}, with the bytes they counted in their file (see FileReferences). */
        void forEachFile(PerFile action) {
            perFile.forEach((file, n) -> action.accept(file, n, bytesPerFile.get(file)));
            for (MessageRef ref : pending) {
                Location at = ref.location();
                action.accept(at.file(), 1, FileReferences.messageBytes(queue, at));
            }
        }
    }

    /** Every queue's entries at one moment; see {@link QueueIndex#snapshot()}. */
    record Snapshot(Map<String, QueueIndex.View> queues) {
        long size() {
            return queues.values().stream().mapToLong(QueueIndex.View::size).sum();
        }
    }

    /** The entry for one message: its pending heap copy, or a new entry holding its location; null when not held. */
    MessageRef get(String queue, long id) {
        QueueIndex messages = queues.get(queue);
        return messages == null ? null : messages.get(id);
    }

    boolean contains(String queue, long id) {
        QueueIndex messages = queues.get(queue);
        return messages != null && messages.contains(id);
    }

    /** Where the envelope of a written message is; null when the queue does not hold it or it is not written yet. */
    Location location(String queue, long id) {
        QueueIndex messages = queues.get(queue);
        return messages == null ? null : messages.location(id);
    }

    /** Adds (or replaces) a message whose record is written at {@code at}. */
    void put(String queue, long id, Location at) {
        queues.computeIfAbsent(queue, q -> new QueueIndex()).put(id, at);
    }

    /** Adds a message whose record was submitted but not written; reads use {@code ref}'s heap copy meanwhile. */
    void putPending(String queue, long id, MessageRef ref, int envelopeLength) {
        queues.computeIfAbsent(queue, q -> new QueueIndex()).putPending(id, ref, envelopeLength);
    }

    /** The writer wrote the pending message's record ({@code ref.location()} is set): drop the heap copy. */
    void written(String queue, long id, MessageRef ref) {
        QueueIndex messages = queues.get(queue);
        if (messages != null) {
            messages.written(id, ref);
        }
    }

    /** Removes and returns the entry, or null when the queue does not hold {@code id}. */
    MessageRef remove(String queue, long id) {
        QueueIndex messages = queues.get(queue);
        if (messages == null) {
            return null;
        }
        MessageRef ref = messages.remove(id);
        if (messages.size() == 0) {
            queues.remove(queue, messages);
        }
        return ref;
    }

    /** Removes every entry of one queue. */
    Removed removeAll(String queue) {
        Removed removed = new Removed(queue);
        QueueIndex messages = queues.remove(queue);
        if (messages != null) {
            messages.removeAll(removed);
        }
        return removed;
    }

    /** Up to {@code max} entries of one queue with ids above {@code afterId}, in id order; O(log n + max). */
    List<QueueIndex.Entry> after(String queue, long afterId, int max) {
        QueueIndex messages = queues.get(queue);
        return messages == null ? List.of() : messages.after(afterId, max);
    }

    /** The highest live id of one queue, or {@link Long#MIN_VALUE}. */
    long maxId(String queue) {
        QueueIndex messages = queues.get(queue);
        return messages == null ? Long.MIN_VALUE : messages.maxId();
    }

    /** Live messages in one queue. */
    long count(String queue) {
        QueueIndex messages = queues.get(queue);
        return messages == null ? 0 : messages.size();
    }

    Set<String> queueNames() {
        Set<String> names = new TreeSet<>();
        queues.forEach((name, messages) -> {
            if (messages.size() > 0) {
                names.add(name);
            }
        });
        return names;
    }

    /** Live messages in every queue. */
    long size() {
        return queues.values().stream().mapToLong(QueueIndex::size).sum();
    }

    /** Every queue's entries now, in name order, sharing arrays with the index (copy on write); cheap. */
    Snapshot snapshot() {
        Map<String, QueueIndex.View> views = new TreeMap<>();
        queues.forEach((name, messages) -> {
            QueueIndex.View view = messages.snapshot();
            if (view.size() > 0) {
                views.put(name, view);
            }
        });
        return new Snapshot(views);
    }

    /** The heap the index takes, estimated from its arrays and objects (64-bit JVM, compressed oops). */
    long estimatedBytes() {
        long bytes = 64;
        for (Map.Entry<String, QueueIndex> e : queues.entrySet()) {
            bytes += 32 + 40 + 2L * e.getKey().length() + e.getValue().estimatedBytes();
        }
        return bytes;
    }

    /**
     * Compaction: the message's envelope is written again elsewhere. Applies only while the entry is written at
     * {@code expected}: a message removed (or replaced) meanwhile is left alone and does not come back.
     *
     * @param moved the new location, written; see {@link #relocate(String, long, Location, MessageRef)} for a
     *              rewrite not written yet
     * @return true when the entry now points at {@code moved}
     */
    boolean relocate(String queue, long id, Location expected, Location moved) {
        QueueIndex messages = queues.get(queue);
        return messages != null && messages.relocate(id, expected, moved, null);
    }

    /**
     * Compaction, as it submits a rewrite of the message: while the entry is written at {@code expected}, it becomes
     * pending on {@code moved} (reads use its heap copy) until {@link #written} records where the rewrite landed.
     * The entry is pending, not still at {@code expected}, so a remove after this call takes {@code moved} out of
     * the index and learns from it where the copy its record cancels is (the rewrite is written before the remove).
     *
     * @return true when the entry is now pending on {@code moved}; false (nothing changed) when it was removed,
     *         replaced or is not written at {@code expected}
     */
    boolean relocate(String queue, long id, Location expected, MessageRef moved) {
        QueueIndex messages = queues.get(queue);
        return messages != null && messages.relocate(id, expected, null, moved);
    }

    /** Receives one live message and where its envelope is. */
    interface LocationVisitor {
        void visit(String queue, long id, Location at);
    }

    /**
     * Passes every live message whose envelope is written in data file {@code file} to {@code visitor}, by queue
     * name and id. Messages whose record is not written yet are in no file; entries pending on a rewrite are skipped
     * too (their file is the rewrite's, once written). A scan of a snapshot of the whole index, taken without
     * blocking writers for longer than a walk over its chunks: compaction calls it once per file it compacts.
     */
    void forEachInFile(int file, LocationVisitor visitor) {
        // Filters on the packed location, so the entries of other files (most of a large backlog) cost no object.
        snapshot().queues().forEach((queue, view) -> {
            for (QueueIndex.ChunkView c : view.chunks()) {
                for (int slot = c.start(); slot < c.end(); slot++) {
                    long packed = c.locations()[slot];
                    if (packed != QueueIndex.PENDING && QueueIndex.file(packed) == file) {
                        visitor.visit(queue, c.ids()[slot], new Location(file, QueueIndex.offset(packed),
                                c.lengths()[slot]));
                    }
                }
            }
        });
    }

    /**
     * Passes every live message of {@code snapshot} whose envelope has a location to {@code visitor}, by queue name
     * and id.
     *
     * @param resolvePending also pass pending entries whose record has been written (their ref knows where)
     */
    static void forEach(Snapshot snapshot, LocationVisitor visitor, boolean resolvePending) {
        snapshot.queues().forEach((queue, view) -> {
            for (QueueIndex.ChunkView c : view.chunks()) {
                for (int slot = c.start(); slot < c.end(); slot++) {
                    long id = c.ids()[slot];
                    long packed = c.locations()[slot];
                    if (packed != QueueIndex.PENDING) {
                        visitor.visit(queue, id, new Location(QueueIndex.file(packed), QueueIndex.offset(packed),
                                c.lengths()[slot]));
                    } else if (resolvePending) {
                        MessageRef ref = view.pending().get(id);
                        Location at = ref == null ? null : ref.location();
                        if (at != null) {
                            visitor.visit(queue, id, at);
                        }
                    }
                }
            }
        });
    }
}
