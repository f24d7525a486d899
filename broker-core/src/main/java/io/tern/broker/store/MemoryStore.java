package io.tern.broker.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;

/**
 * A store that keeps messages and durable subscriptions on the heap: nothing survives the JVM. Every write is "durable" at once. It serves
 * tests, {@code vm://} brokers and brokers that need no persistence. Its methods are synchronized so that a batch
 * is atomic; each holds the lock only for map operations.
 */
public final class MemoryStore implements Store {
    private final Map<String, ConcurrentSkipListMap<Long, byte[]>> queues = new HashMap<>();
    private final Map<String, StoredSubscription> subscriptions = new LinkedHashMap<>();
    private final List<PreparedBatch> prepared = new ArrayList<>();
    private final Map<String, Long> marks = new HashMap<>();
    private boolean closed;
    private long bytes;

    @Override
    public String kind() {
        return "memory";
    }

    /** Every write is done in memory, under this store's monitor, before it returns. */
    @Override
    public boolean submitsWithoutBlocking() {
        return true;
    }

    @Override
    public synchronized CompletableFuture<Void> add(String queue, StoredMessage message) {
        if (closed) {
            return closedFuture();
        }
        if (messages(queue).containsKey(message.id())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "queue '" + queue + "' already holds message " + message.id()));
        }
        messages(queue).put(message.id(), message.envelope());
        bytes += message.envelope().length;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> remove(String queue, long id) {
        if (closed) {
            return closedFuture();
        }
        removeOne(queue, id);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> commit(StoreBatch batch) {
        if (closed) {
            return closedFuture();
        }
        for (StoreBatch.Add add : batch.adds()) {
            if (messages(add.queue()).containsKey(add.message().id())) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("queue '" + add.queue()
                        + "' already holds message " + add.message().id() + "; batch not applied"));
            }
        }
        apply(batch);
        return CompletableFuture.completedFuture(null);
    }

    /** Applies every add and remove of {@code batch}; the adds' ids are known to be free. */
    private void apply(StoreBatch batch) {
        batch.adds().forEach(a -> {
            messages(a.queue()).put(a.message().id(), a.message().envelope());
            bytes += a.message().envelope().length;
        });
        batch.removes().forEach(r -> removeOne(r.queue(), r.id()));
    }

    @Override
    public synchronized Optional<StoredMessage> read(String queue, long id) {
        checkOpen();
        Map<Long, byte[]> m = queues.get(queue);
        byte[] envelope = m == null ? null : m.get(id);
        return envelope == null ? Optional.empty() : Optional.of(new StoredMessage(id, envelope));
    }

    @Override
    public synchronized Set<String> queueNames() {
        checkOpen();
        Set<String> names = new TreeSet<>();
        queues.forEach((name, m) -> {
            if (!m.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public int recover(String queue, long afterId, int max, Consumer<StoredMessage> visitor) {
        List<StoredMessage> page = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            ConcurrentSkipListMap<Long, byte[]> m = queues.get(queue);
            if (m == null) {
                return 0;
            }
            for (Map.Entry<Long, byte[]> e : m.tailMap(afterId, false).entrySet()) {
                if (page.size() == max) {
                    break;
                }
                page.add(new StoredMessage(e.getKey(), e.getValue()));
            }
        }
        page.forEach(visitor);
        return page.size();
    }

    @Override
    public synchronized CompletableFuture<Void> markDelivered(String queue, long upToId) {
        if (closed) {
            return closedFuture();
        }
        marks.put(queue, upToId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized long deliveredMark(String queue) {
        checkOpen();
        return marks.getOrDefault(queue, Long.MIN_VALUE);
    }

    @Override
    public synchronized long maxId(String queue) {
        checkOpen();
        long max = Long.MIN_VALUE;
        ConcurrentSkipListMap<Long, byte[]> m = queues.get(queue);
        if (m != null && !m.isEmpty()) {
            max = m.lastKey();
        }
        for (PreparedBatch p : prepared) {
            for (StoreBatch.Add a : p.batch().adds()) {
                if (a.queue().equals(queue)) {
                    max = Math.max(max, a.message().id());
                }
            }
        }
        return max;
    }

    /** One line: the memory store has no files, only what the heap holds. */
    @Override
    public synchronized List<String> describeSpace() {
        checkOpen();
        long messages = queues.values().stream().mapToLong(Map::size).sum();
        return List.of("heap: " + bytes + " bytes in " + messages + " messages of " + queueNames().size()
                + " containers, " + subscriptions.size() + " durable subscriptions, " + prepared.size()
                + " prepared branches; nothing survives a restart");
    }

    @Override
    public synchronized long count(String queue) {
        checkOpen();
        Map<Long, byte[]> m = queues.get(queue);
        return m == null ? 0 : m.size();
    }

    @Override
    public synchronized CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch) {
        if (closed) {
            return closedFuture();
        }
        PreparedBatch branch;
        try {
            branch = new PreparedBatch(xid, batch);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (preparedIndex(xid) >= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("transaction branch "
                    + HexFormat.of().formatHex(xid) + " is prepared already"));
        }
        for (StoreBatch.Add add : batch.adds()) {
            if (messages(add.queue()).containsKey(add.message().id()) || preparedAdds(add.queue())
                    .contains(add.message().id())) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("queue '" + add.queue()
                        + "' already holds message " + add.message().id() + "; branch not prepared"));
            }
        }
        prepared.add(branch);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> commitPrepared(byte[] xid) {
        return completePrepared(xid, true);
    }

    @Override
    public synchronized CompletableFuture<Void> rollbackPrepared(byte[] xid) {
        return completePrepared(xid, false);
    }

    /** Forgets the prepared branch {@code xid}, applying its batch first when {@code commit}. */
    private CompletableFuture<Void> completePrepared(byte[] xid, boolean commit) {
        if (closed) {
            return closedFuture();
        }
        int i = preparedIndex(xid);
        if (i < 0) {
            return CompletableFuture.failedFuture(notPrepared(xid));
        }
        StoreBatch batch = prepared.remove(i).batch();
        if (commit) {
            apply(batch);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized List<PreparedBatch> prepared() {
        checkOpen();
        return List.copyOf(prepared);
    }

    private int preparedIndex(byte[] xid) {
        for (int i = 0; i < prepared.size(); i++) {
            if (prepared.get(i).is(xid)) {
                return i;
            }
        }
        return -1;
    }

    private Set<Long> preparedAdds(String queue) {
        Set<Long> ids = new HashSet<>();
        prepared.forEach(p -> p.batch().adds().forEach(a -> {
            if (a.queue().equals(queue)) {
                ids.add(a.message().id());
            }
        }));
        return ids;
    }

    private static IllegalArgumentException notPrepared(byte[] xid) {
        return new IllegalArgumentException("transaction branch " + HexFormat.of().formatHex(xid)
                + " is not prepared");
    }

    /** The bytes of the messages held. */
    @Override
    public synchronized long usedBytes() {
        return bytes;
    }

    @Override
    public synchronized CompletableFuture<Void> addSubscription(StoredSubscription subscription) {
        if (closed) {
            return closedFuture();
        }
        subscriptions.put(subscription.container(), subscription);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> removeSubscription(String container) {
        if (closed) {
            return closedFuture();
        }
        subscriptions.remove(container);
        marks.remove(container);
        Map<Long, byte[]> removed = queues.remove(container);
        if (removed != null) {
            removed.values().forEach(envelope -> bytes -= envelope.length);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized List<StoredSubscription> subscriptions() {
        checkOpen();
        return List.copyOf(subscriptions.values());
    }

    @Override
    public synchronized void close() {
        closed = true;
        queues.clear();
        bytes = 0;
        subscriptions.clear();
        prepared.clear();
        marks.clear();
    }

    private ConcurrentSkipListMap<Long, byte[]> messages(String queue) {
        return queues.computeIfAbsent(queue, q -> new ConcurrentSkipListMap<>());
    }

    private void removeOne(String queue, long id) {
        Map<Long, byte[]> m = queues.get(queue);
        byte[] removed = m == null ? null : m.remove(id);
        if (removed != null) {
            bytes -= removed.length;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the memory store is closed");
        }
    }

    private static CompletableFuture<Void> closedFuture() {
        return CompletableFuture.failedFuture(new IllegalStateException("the memory store is closed"));
    }
}
