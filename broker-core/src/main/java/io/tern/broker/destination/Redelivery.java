package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a queue or a topic subscription does with the deliveries its consumers give back, by its
 * {@link RedeliveryPolicy}: wait out the redelivery delay, or after too many deliveries move the message to the
 * dead-letter queue. Also moves messages it will no longer dispatch (dead-lettered or expired) to another queue:
 * removed here and added there in one store batch, never to expire there.
 */
final class Redelivery {
    private static final Logger LOG = LoggerFactory.getLogger(Redelivery.class);

    private final String owner;
    private final RedeliveryPolicy policy;
    private final boolean isDeadLetterQueue;
    private final ScheduledExecutorService scheduler;
    private final Function<String, Queue> queues;
    private final Store store;
    private final DispatchQueue dispatch;
    private final DeliverySource source;
    private final AtomicLong deadLettered = new AtomicLong();

    /**
     * @param owner             what gives messages back, for log lines: {@code queue 'orders'}
     * @param isDeadLetterQueue the owner is itself the policy's dead-letter queue: its messages are never moved
     * @param queues            the queue of a name, created if missing
     * @param store             the store the owner's messages are in
     */
    Redelivery(String owner, RedeliveryPolicy policy, boolean isDeadLetterQueue, ScheduledExecutorService scheduler,
               Function<String, Queue> queues, Store store, DispatchQueue dispatch, DeliverySource source) {
        this.owner = owner;
        this.policy = policy;
        this.isDeadLetterQueue = isDeadLetterQueue;
        this.scheduler = scheduler;
        this.queues = queues;
        this.store = store;
        this.dispatch = dispatch;
        this.source = source;
    }

    /** Takes back a delivery; a counted one (the application saw it) is delayed or dead-lettered by the policy. */
    void giveBack(QueueEntry entry, boolean counted) {
        if (!counted) {
            dispatch.giveBack(entry, false);
            return;
        }
        if (policy.exhausted(entry.deliveryCount()) && !isDeadLetterQueue) {
            String reason = "delivered " + entry.deliveryCount() + " times without being acknowledged"
                    + " (max-deliveries " + policy.maxDeliveries() + ")";
            dispatch.settled(entry);
            deadLettered.incrementAndGet();
            LOG.warn("TERN-B0303 message {} of {} moved to dead-letter queue '{}': {}",
                    entry.message().header().messageId(), owner, policy.deadLetterQueue(), reason);
            move(entry, policy.deadLetterQueue(), reason);
            return;
        }
        long delay = policy.delayBefore(entry.deliveryCount() + 1);
        if (delay > 0) {
            scheduler.schedule(() -> dispatch.giveBack(entry, true), delay, TimeUnit.MILLISECONDS);
        } else {
            dispatch.giveBack(entry, true);
        }
    }

    /** Messages moved to the dead-letter queue since start. */
    long deadLettered() {
        return deadLettered.get();
    }

    /**
     * Moves a message the owner no longer dispatches (and no longer counts in flight) to queue {@code target}.
     * If the store fails, the message stays where it was and is dispatched again.
     */
    void move(QueueEntry entry, String target, String reason) {
        Queue to = queues.apply(target);
        BrokerMessage moved = DeadLetters.rewrite(entry.message(), to.name(), reason);
        PreparedSend prepared = to.prepare(moved);
        if (prepared.storeAdds().isEmpty() && !entry.message().persistent()) {
            prepared.route().run();
            return;
        }
        List<StoreBatch.Add> adds = prepared.storeAdds();
        StoreBatch.Remove remove = source.storeRemoval(entry);
        List<StoreBatch.Remove> removes = remove == null ? List.of() : List.of(remove);
        CompletableFuture<Void> stored = to.store() == store
                ? store.commit(new StoreBatch(adds, removes))
                : to.store().commit(new StoreBatch(adds, List.of())).thenCompose(v ->
                        store.commit(new StoreBatch(List.of(), removes)));
        stored.whenComplete((v, e) -> {
            if (e == null) {
                prepared.route().run();
            } else {
                LOG.error("TERN-B0304 store failed to move message {} from {} to '{}'; it stays where it was: {}",
                        entry.message().header().messageId(), owner, to.name(), e.toString());
                prepared.abandon().run();
                dispatch.enqueue(entry);
            }
        });
    }
}
