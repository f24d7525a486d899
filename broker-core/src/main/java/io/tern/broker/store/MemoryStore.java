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
import java.util.HashMap;

/**
 * A store that keeps messages and durable subscriptions on the heap: nothing survives the JVM. Every write is "durable" at once. It serves
 * tests, {@code vm://} brokers and brokers that need no persistence. Its methods are synchronized so that a batch
 * is atomic; each holds the lock only for map operations.
 */
public final class MemoryStore implements Store {
    private final Map<String, ConcurrentSkipListMap<Long, byte[]>> queues = new HashMap<>();
    private final Map<String, StoredSubscription> subscriptions = new LinkedHashMap<>();
    private boolean closed;
    private long bytes;

    @Override
    public String kind() {
        return "memory";
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
        batch.adds().forEach(a -> {
            messages(a.queue()).put(a.message().id(), a.message().envelope());
            bytes += a.message().envelope().length;
        });
        batch.removes().forEach(r -> removeOne(r.queue(), r.id()));
        return CompletableFuture.completedFuture(null);
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
    public void recover(String queue, Consumer<StoredMessage> visitor) {
        ConcurrentSkipListMap<Long, byte[]> m;
        synchronized (this) {
            checkOpen();
            m = queues.get(queue);
            if (m == null) {
                return;
            }
            m = m.clone();
        }
        m.forEach((id, envelope) -> visitor.accept(new StoredMessage(id, envelope)));
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
