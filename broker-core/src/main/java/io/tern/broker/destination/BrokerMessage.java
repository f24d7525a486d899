package io.tern.broker.destination;

import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message inside the broker: the producer's envelope (its bytes are never changed) and the connection that
 * sent it, for NO_LOCAL. One instance is shared by every subscription it is routed to; apart from the envelope's
 * lazily read properties, its only state is whether those properties turned out to be unreadable.
 */
public final class BrokerMessage {
    private final MessageEnvelope envelope;
    private final String originConnectionId;
    private final String originClientId;
    private final AtomicBoolean propertiesUnreadable = new AtomicBoolean();

    /**
     * @param envelope           the parsed envelope
     * @param originConnectionId the id of the connection that sent it, or null when it was recovered from a store
     */
    public BrokerMessage(MessageEnvelope envelope, String originConnectionId) {
        this(envelope, originConnectionId, null);
    }

    /**
     * @param originClientId the client id of the connection that sent it, or null when it had none (or the message
     *                       was recovered): a durable NO_LOCAL subscription skips messages of its own client id
     */
    public BrokerMessage(MessageEnvelope envelope, String originConnectionId, String originClientId) {
        this.envelope = envelope;
        this.originConnectionId = originConnectionId;
        this.originClientId = originClientId;
    }

    public String originClientId() {
        return originClientId;
    }

    public MessageEnvelope envelope() {
        return envelope;
    }

    public String originConnectionId() {
        return originConnectionId;
    }

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

    /** True once {@link #markPropertiesUnreadable} was called: selectors then skip the properties section. */
    public boolean propertiesUnreadable() {
        return propertiesUnreadable.get();
    }

    /** Records that the properties section is malformed; true for the first caller only (who logs it). */
    public boolean markPropertiesUnreadable() {
        return propertiesUnreadable.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "BrokerMessage[" + envelope.header().messageId() + " to " + envelope.header().destination() + "]";
    }
}
