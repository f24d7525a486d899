package io.tern.broker.destination;

import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;

/**
 * A message inside the broker: the producer's envelope (its bytes are never changed) and the connection that
 * sent it, for NO_LOCAL. Immutable; one instance is shared by every subscription it is routed to.
 *
 * @param envelope           the parsed envelope
 * @param originConnectionId the id of the connection that sent it, or null when it was recovered from a store
 */
public record BrokerMessage(MessageEnvelope envelope, String originConnectionId) {

    public MessageHeader header() {
        return envelope.header();
    }

    public byte[] bytes() {
        return envelope.bytes();
    }

    public boolean persistent() {
        return envelope.header().persistent();
    }

    public boolean isExpired(long nowMillis) {
        return envelope.header().isExpired(nowMillis);
    }
}
