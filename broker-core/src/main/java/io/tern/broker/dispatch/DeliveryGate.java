package io.tern.broker.dispatch;

/**
 * Decides, just before a {@link DispatchQueue} hands an entry to a consumer, whether it may go now. A gate that says
 * no has arranged for the queue to dispatch again once the entry may go. Called under the queue's lock: it must
 * not block.
 */
@FunctionalInterface
public interface DeliveryGate {
    /** A gate that lets everything through. */
    DeliveryGate OPEN = entry -> true;

    /** True when {@code entry} may be delivered now. */
    boolean admits(QueueEntry entry);
}
