package io.tern.jms.selector;

import io.tern.jms.wire.MessageHeader;
import java.nio.charset.StandardCharsets;

/**
 * The header fields a selector may name (spec 3.8.1.1); every other name starting with {@code JMS} that is not a
 * {@code JMSX} or {@code JMS_} property is NULL in a selector. Each constant documents the type of its value.
 */
public enum SelectorHeader {
    /** A String: {@code "PERSISTENT"} or {@code "NON_PERSISTENT"}. */
    DELIVERY_MODE("JMSDeliveryMode"),
    /** An Integer, 0 to 9. */
    PRIORITY("JMSPriority"),
    /** A String, or null when the producer disabled message ids. */
    MESSAGE_ID("JMSMessageID"),
    /** A Long: epoch milliseconds, 0 when the producer disabled timestamps. */
    TIMESTAMP("JMSTimestamp"),
    /** A String (one set as bytes is decoded as UTF-8, as {@code getJMSCorrelationID} returns it), or null. */
    CORRELATION_ID("JMSCorrelationID"),
    /** A String, or null. */
    TYPE("JMSType");

    /** The delivery mode values a selector compares JMSDeliveryMode with. */
    public static final String PERSISTENT = "PERSISTENT";
    public static final String NON_PERSISTENT = "NON_PERSISTENT";

    private final String identifier;

    SelectorHeader(String identifier) {
        this.identifier = identifier;
    }

    /** The identifier a selector names it by, e.g. {@code JMSPriority}. */
    public String identifier() {
        return identifier;
    }

    /** The field named by {@code identifier} (case-sensitive), or null when it is not one of these. */
    static SelectorHeader byIdentifier(String identifier) {
        for (SelectorHeader h : values()) {
            if (h.identifier.equals(identifier)) {
                return h;
            }
        }
        return null;
    }

    /** This field's selector value in an envelope header. */
    public Object valueIn(MessageHeader header) {
        return switch (this) {
            case DELIVERY_MODE -> header.persistent() ? PERSISTENT : NON_PERSISTENT;
            case PRIORITY -> header.priority();
            case MESSAGE_ID -> header.messageId();
            case TIMESTAMP -> header.timestamp();
            case CORRELATION_ID -> header.correlationId() instanceof byte[] b
                    ? new String(b, StandardCharsets.UTF_8) : header.correlationId();
            case TYPE -> header.type();
        };
    }
}
