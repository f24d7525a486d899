package io.tern.broker.testing;

import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;
import io.tern.jms.wire.WireDestination;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds message envelopes for broker tests: a text body and the header fields the broker routes on. */
public final class Messages {
    private final WireDestination destination;
    private boolean persistent;
    private int priority = 4;
    private long expiration;
    private long deliveryTime;
    private Map<String, Object> properties = Map.of();
    private String messageId;

    private Messages(WireDestination destination) {
        this.destination = destination;
    }

    public static Messages to(WireDestination destination) {
        return new Messages(destination);
    }

    public Messages persistent(boolean persistent) {
        this.persistent = persistent;
        return this;
    }

    public Messages priority(int priority) {
        this.priority = priority;
        return this;
    }

    public Messages expiration(long expiration) {
        this.expiration = expiration;
        return this;
    }

    public Messages deliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
        return this;
    }

    public Messages properties(Map<String, Object> properties) {
        this.properties = properties;
        return this;
    }

    /** The JMSMessageID; by default a unique one no producer audit takes for a duplicate. */
    public Messages messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public byte[] text(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[utf8.length + 1];
        body[0] = 1;
        System.arraycopy(utf8, 0, body, 1, utf8.length);
        MessageHeader header = new MessageHeader(MessageEnvelope.BODY_TEXT, persistent, priority,
                System.currentTimeMillis(), expiration, deliveryTime, messageId != null ? messageId : "ID:test-" + System.nanoTime(), destination,
                null, null, null);
        return MessageEnvelope.encode(header, properties, body);
    }

    /** The text of a TextMessage envelope built by {@link #text}. */
    public static String textOf(byte[] envelope) {
        byte[] body = MessageEnvelope.parse(envelope).body();
        return new String(body, 1, body.length - 1, StandardCharsets.UTF_8);
    }
}
