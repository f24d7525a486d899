package io.tern.store.journal;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The live messages, per queue, in id order, each with its {@link MessageRef}. No envelope bodies stay here once
 * written. Changes are made under the store's lock (or by recovery, alone); reads need no lock.
 */
final class MessageIndex {
    private final Map<String, ConcurrentSkipListMap<Long, MessageRef>> queues = new ConcurrentHashMap<>();

    MessageRef get(String queue, long id) {
        NavigableMap<Long, MessageRef> messages = queues.get(queue);
        return messages == null ? null : messages.get(id);
    }

    void put(String queue, long id, MessageRef ref) {
        queues.computeIfAbsent(queue, q -> new ConcurrentSkipListMap<>()).put(id, ref);
    }

    /** Removes and returns the entry, or null when the queue does not hold {@code id}. */
    MessageRef remove(String queue, long id) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        if (messages == null) {
            return null;
        }
        MessageRef ref = messages.remove(id);
        if (messages.isEmpty()) {
            queues.remove(queue);
        }
        return ref;
    }

    /** Removes the entry only if it is still {@code ref}. */
    void remove(String queue, long id, MessageRef ref) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        if (messages != null && messages.remove(id, ref) && messages.isEmpty()) {
            queues.remove(queue);
        }
    }

    /** A snapshot of one queue's entries, in id order. */
    NavigableMap<Long, MessageRef> snapshot(String queue) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        return messages == null ? new ConcurrentSkipListMap<>() : messages.clone();
    }

    /** A live view of one queue's entries with ids greater than {@code afterId}, in id order. */
    NavigableMap<Long, MessageRef> after(String queue, long afterId) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        return messages == null ? new ConcurrentSkipListMap<>() : messages.tailMap(afterId, false);
    }

    /** The highest live id of one queue, or {@link Long#MIN_VALUE}. */
    long maxId(String queue) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        if (messages == null) {
            return Long.MIN_VALUE;
        }
        Map.Entry<Long, MessageRef> last = messages.lastEntry();
        return last == null ? Long.MIN_VALUE : last.getKey();
    }

    /** Live messages in one queue. */
    long count(String queue) {
        ConcurrentSkipListMap<Long, MessageRef> messages = queues.get(queue);
        return messages == null ? 0 : messages.size();
    }

    Set<String> queueNames() {
        Set<String> names = new TreeSet<>();
        queues.forEach((name, messages) -> {
            if (!messages.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }

    /** Live messages in every queue. */
    long size() {
        return queues.values().stream().mapToLong(Map::size).sum();
    }

    // ---- Compaction's view (one method; kept apart so the index's internals can change under it) ----

    /** Receives one live message of a data file. */
    interface FileVisitor {
        void visit(String queue, long id, MessageRef ref);
    }

    /**
     * Passes every live message whose envelope is written in data file {@code file} to {@code visitor} (messages
     * not written yet are in no file). Takes time proportional to the whole index; compaction calls it once per
     * file it compacts.
     */
    void forEachInFile(int file, FileVisitor visitor) {
        queues.forEach((queue, messages) -> messages.forEach((id, ref) -> {
            Location location = ref.location();
            if (location != null && location.file() == file) {
                visitor.visit(queue, id, ref);
            }
        }));
    }
}
