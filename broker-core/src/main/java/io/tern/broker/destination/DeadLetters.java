package io.tern.broker.destination;

import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;
import io.tern.jms.wire.WireDestination;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites a message for a dead-letter or expiry queue: addressed to that queue, never to expire there, with two
 * provider properties saying where it came from and why. The body's bytes are copied as they are, never decoded.
 */
final class DeadLetters {
    /** The destination the message was sent to, e.g. {@code queue://orders}. */
    static final String ORIGINAL_DESTINATION = "JMS_TERN_ORIGINAL_DESTINATION";
    /** Why the broker moved it. */
    static final String REASON = "JMS_TERN_DEAD_LETTER_REASON";

    private DeadLetters() {
    }

    static BrokerMessage rewrite(BrokerMessage message, String deadLetterQueue, String reason) {
        MessageEnvelope envelope = message.envelope();
        MessageHeader h = envelope.header();
        Map<String, Object> properties = new LinkedHashMap<>(envelope.properties());
        properties.put(ORIGINAL_DESTINATION, h.destination().toString());
        properties.put(REASON, reason);
        MessageHeader moved = new MessageHeader(h.bodyType(), h.persistent(), h.priority(), h.timestamp(),
                0, h.deliveryTime(), h.messageId(), WireDestination.queue(deadLetterQueue), h.replyTo(),
                h.correlationId(), h.type());
        byte[] bytes = MessageEnvelope.encode(moved, properties, envelope.body());
        return new BrokerMessage(MessageEnvelope.parse(bytes), message.originConnectionId(), message.originClientId());
    }
}
