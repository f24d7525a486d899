package io.tern.broker.dispatch;

/** A consumer as a {@link DispatchQueue} sees it: something that takes entries while it has credit. */
public interface Subscriber {

    /**
     * True when the subscriber can take a message now apart from credit (its connection is open and writable).
     * Called under the queue's lock: must be cheap and must not take other locks.
     */
    boolean isReady();

    /**
     * Hands one entry to the subscriber, which now owns it until it is settled through {@code source}. Called under
     * the queue's lock, so deliveries to one subscriber happen in dispatch order: must not block.
     */
    void deliver(QueueEntry entry, DeliverySource source);
}
