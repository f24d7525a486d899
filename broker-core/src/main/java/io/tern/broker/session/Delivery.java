package io.tern.broker.session;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;

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
}
