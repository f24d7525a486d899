package io.tern.broker.dispatch;

import io.tern.broker.store.StoreBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Where a delivered entry came from and where it is settled: a queue or a topic subscription. A session holds
 * each delivery with its source until the client acknowledges, releases or abandons it.
 */
public interface DeliverySource {

    /**
     * True when each message goes to many consumers at once (a topic's subscriptions): their deliveries are then
     * best written by each consumer's own event loop, in parallel and many a system call, rather than one by one by
     * the thread that routed the message.
     */
    default boolean fansOut() {
        return false;
    }

    /** The entry goes back to its place; {@code counted} raises its delivery count (the application saw it). */
    void giveBack(QueueEntry entry, boolean counted);

    /**
     * The entry was consumed outside a transaction: forget it (and remove it from the store).
     *
     * @param durable true: the future completes once the removal is durable (the client waits for the answer);
     *                false: once it is recorded in order, durable with the store's next forced write
     *                ({@link io.tern.broker.store.Store#removeAcknowledged})
     */
    CompletableFuture<Void> consumed(QueueEntry entry, boolean durable);

    /** The store removal a transaction must include for this entry, or null when it was never stored. */
    StoreBatch.Remove storeRemoval(QueueEntry entry);

    /** The entry was consumed by a committed transaction whose batch already removed it from the store. */
    void consumedByCommit(QueueEntry entry);

    /** A name for logs and errors, e.g. {@code queue://orders}. */
    String describe();
}
