package io.tern.jms.message;

import io.tern.jms.destination.TernDestination;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;
import io.tern.jms.wire.WireDestination;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.Map;

/**
 * Turns Tern messages into message envelopes (docs/protocol.md, "Message envelope" and "Bodies by type") and back.
 *
 * <ul>
 * <li>{@link #encode} snapshots the message: later changes to it do not change the bytes. It ignores read-only mode,
 * so a received message can be sent again. {@code JMSXDeliveryCount} is not sent; the group properties are.</li>
 * <li>{@link #decode} returns the matching subclass with body and properties read-only, as after receive (Bytes and
 * Stream messages are ready to read), and everything decoded at once: a bad envelope fails here, not later.</li>
 * <li>{@link #copyOf} turns another provider's message into a Tern one (see {@link ForeignMessages}).</li>
 * </ul>
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /**
     * The envelope bytes of a message as it is now.
     *
     * @throws InvalidDestinationException when JMSDestination is missing or JMSDestination or JMSReplyTo is not a
     *                                     Tern destination
     * @throws JMSException                when JMSPriority is outside 0..9
     */
    public static byte[] encode(TernMessage m) throws JMSException {
        int priority = m.getJMSPriority();
        if (priority < 0 || priority > 9) {
            throw new JMSException("JMSPriority " + priority + " is outside 0..9");
        }
        WireDestination destination = toWire(m.getJMSDestination(), "JMSDestination");
        if (destination == null) {
            throw new InvalidDestinationException("the message has no JMSDestination");
        }
        MessageHeader header = new MessageHeader(m.bodyType(), m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT,
                priority, m.getJMSTimestamp(), m.getJMSExpiration(), m.getJMSDeliveryTime(), m.getJMSMessageID(),
                destination, toWire(m.getJMSReplyTo(), "JMSReplyTo"), m.correlationIdValue(), m.getJMSType());
        Map<String, Object> properties = m.properties().toSend();
        return MessageEnvelope.encode(header, properties, m.encodeBody());
    }

    /**
     * The message an envelope holds, as received: body and properties read-only.
     *
     * @throws JMSException naming the problem when the envelope is malformed
     */
    public static TernMessage decode(byte[] envelope) throws JMSException {
        MessageEnvelope parsed;
        Map<String, Object> properties;
        try {
            parsed = MessageEnvelope.parse(envelope);
            properties = parsed.properties();
        } catch (MalformedFrameException e) {
            throw MessageExceptions.malformed("message envelope", e);
        }
        MessageHeader h = parsed.header();
        TernMessage m = newMessage(h.bodyType());
        m.setJMSDeliveryMode(h.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(h.priority());
        m.setJMSTimestamp(h.timestamp());
        m.setJMSExpiration(h.expiration());
        m.setJMSDeliveryTime(h.deliveryTime());
        m.setJMSMessageID(h.messageId());
        m.setJMSDestination(TernDestination.fromWire(h.destination()));
        m.setJMSReplyTo(TernDestination.fromWire(h.replyTo()));
        if (h.correlationId() instanceof byte[] b) {
            m.setJMSCorrelationIDAsBytes(b);
        } else {
            m.setJMSCorrelationID((String) h.correlationId());
        }
        m.setJMSType(h.type());
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            Object value = e.getValue();
            if (value != null && !ValueConversions.isPropertyValue(value)) {
                throw new JMSException("cannot decode message " + h.messageId() + ": property '" + e.getKey()
                        + "' holds a " + ValueConversions.typeName(value) + ", which is not a property type");
            }
            if (!PropertyNames.DELIVERY_COUNT.equals(e.getKey())) {
                m.properties().putUnchecked(e.getKey(), value);
            }
        }
        m.decodeBody(parsed.body());
        m.setReadOnly();
        return m;
    }

    /**
     * A Tern message of the same type as {@code foreign}, with its headers, properties and body.
     *
     * @see ForeignMessages#copyOf(Message)
     */
    public static TernMessage copyOf(Message foreign) throws JMSException {
        return ForeignMessages.copyOf(foreign);
    }

    /** A new, writable message of an envelope body type. */
    static TernMessage newMessage(int bodyType) {
        return switch (bodyType) {
            case MessageEnvelope.BODY_TEXT -> new TernTextMessage();
            case MessageEnvelope.BODY_BYTES -> new TernBytesMessage();
            case MessageEnvelope.BODY_MAP -> new TernMapMessage();
            case MessageEnvelope.BODY_OBJECT -> new TernObjectMessage();
            case MessageEnvelope.BODY_STREAM -> new TernStreamMessage();
            default -> new TernMessage();
        };
    }

    private static WireDestination toWire(Destination d, String field) throws InvalidDestinationException {
        if (d == null) {
            return null;
        }
        if (d instanceof TernDestination td) {
            return td.toWire();
        }
        throw new InvalidDestinationException(field + " " + d + " (a " + d.getClass().getName()
                + ") is not a Tern destination; use one created by a Tern session or TernQueue/TernTopic");
    }
}
