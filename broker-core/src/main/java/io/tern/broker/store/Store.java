package io.tern.broker.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the broker keeps persistent messages and durable subscriptions. Only persistent messages sent to queues or
 * routed to durable subscriptions reach a store; everything else stays in memory.
 *
 * <p>Messages live in containers: a queue is one, named by the queue's name; a durable subscription is one, named
 * by its {@link StoredSubscription#container()}. The message methods below take a container's name where they say
 * "queue".
 *
 * <p>Every write returns a future that completes when the write is durable under the store's sync policy, or
 * completes exceptionally when it failed. The broker answers a producer only after that. Writes may complete on
 * any thread; callers must not block the completing thread.
 *
 * <p>Recovery: after a restart the broker calls {@link #subscriptions()}, {@link #queueNames()} and {@link #recover}
 * and rebuilds its queues and durable subscriptions from the store alone.
 *
 * <p>Implementations are thread-safe. The contract every implementation passes is {@code StoreContractTest}
 * (published in broker-core's test jar). A later issue adds prepared XA transactions to this interface.
 */
public interface Store extends AutoCloseable {

    /** A short name for logs and the launcher's ready line, e.g. {@code memory}. */
    String kind();

    /** Adds one message to a queue. Adding an id the queue already holds fails the future. */
    CompletableFuture<Void> add(String queue, StoredMessage message);

    /** Removes one message (it was acknowledged). Removing an id the queue does not hold is not an error. */
    CompletableFuture<Void> remove(String queue, long id);

    /** Applies every add and remove of {@code batch} atomically: after a crash, either all are durable or none. */
    CompletableFuture<Void> commit(StoreBatch batch);

    /** Reads one message by its id; empty when the queue does not hold it. May block on I/O. */
    Optional<StoredMessage> read(String queue, long id);

    /** The containers (queues and durable subscriptions' containers) that hold at least one message. */
    Set<String> queueNames();

    /** Passes every message of {@code queue} to {@code visitor} in increasing id order. May block on I/O. */
    void recover(String queue, Consumer<StoredMessage> visitor);

    /**
     * The space the store takes, in bytes, as its usage limit counts it (files on disk for a file store, message
     * bytes held for the memory store). Cheap: the broker asks before every persistent send while a limit is set.
     */
    long usedBytes();

    /**
     * Records a durable subscription. Recording a container that is recorded already replaces that record (its
     * messages stay).
     */
    CompletableFuture<Void> addSubscription(StoredSubscription subscription);

    /**
     * Forgets the subscription recorded with {@code container} and removes every message in that container, all
     * at once: after a crash, either the subscription and its messages are all there or none is. An unknown
     * container is not an error.
     */
    CompletableFuture<Void> removeSubscription(String container);

    /** The recorded durable subscriptions, in the order they were recorded. */
    List<StoredSubscription> subscriptions();

    /** Releases files and connections. Operations after close fail. */
    @Override
    void close();
}
