package io.tern.broker.session;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * One message sent to a consumer and not yet settled.
 *
 * @param deliveryId the id the DELIVER frame carried
 * @param consumerId the consumer it went to
 * @param entry      the message's entry in its source
 * @param source     where it goes back to, or is removed from
 */
public record Delivery(long deliveryId, long consumerId, QueueEntry entry, DeliverySource source) {

    /** Returns the message to its source; {@code counted} raises its delivery count. */
    void giveBack(boolean counted) {
        source.giveBack(entry, counted);
    }

    /**
     * Returns messages to their sources oldest first (by sequence), so that each source, which dispatches a message
     * as soon as it is back, sends them again in their original order; {@code counted} says which are counted.
     */
    static void giveBackInOrder(List<Delivery> deliveries, Predicate<Delivery> counted) {
        deliveries.stream().sorted(Comparator.comparingLong(d -> d.entry().sequence()))
                .forEach(d -> d.giveBack(counted.test(d)));
    }
}
