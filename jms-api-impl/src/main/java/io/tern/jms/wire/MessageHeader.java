package io.tern.jms.wire;

/**
 * The fixed and header fields of a message envelope: what the broker routes on. See {@link MessageEnvelope}.
 *
 * @param bodyType      one of the {@code MessageEnvelope.BODY_*} codes
 * @param persistent    JMSDeliveryMode is PERSISTENT
 * @param priority      JMSPriority, 0 to 9
 * @param timestamp     JMSTimestamp, 0 when disabled
 * @param expiration    JMSExpiration in epoch millis, 0 for never
 * @param deliveryTime  JMSDeliveryTime in epoch millis, 0 for at once
 * @param messageId     JMSMessageID, null when disabled
 * @param destination   JMSDestination
 * @param replyTo       JMSReplyTo, or null
 * @param correlationId JMSCorrelationID: a String, a byte[] or null
 * @param type          JMSType, or null
 */
public record MessageHeader(int bodyType, boolean persistent, int priority, long timestamp, long expiration,
                            long deliveryTime, String messageId, WireDestination destination,
                            WireDestination replyTo, Object correlationId, String type) {

    /** True when the message has expired at {@code nowMillis}. */
    public boolean isExpired(long nowMillis) {
        return expiration != 0 && expiration <= nowMillis;
    }
}
