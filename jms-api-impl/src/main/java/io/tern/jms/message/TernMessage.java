package io.tern.jms.message;

import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * A message without a body, and the header fields and properties every Tern message type shares.
 *
 * <p>Rules kept here:
 * <ul>
 * <li>Header fields can always be set, also on a received message. A new message is PERSISTENT with priority 4.</li>
 * <li>Properties follow {@link PropertyNames} (names) and {@link ValueConversions} (the spec's conversion table). A
 * received message's properties are read-only ({@link MessageNotWriteableException}) until
 * {@link #clearProperties()}; its body is read-only until {@link #clearBody()}.</li>
 * <li>JMSCorrelationID holds either a String or a byte[]; each getter converts the other form through UTF-8, and the
 * form that was set is the one sent.</li>
 * <li>{@link #acknowledge()} calls the session's {@link MessageAcknowledger}, or does nothing without one.</li>
 * </ul>
 * Instances are not thread-safe, as the spec allows. Methods marked "provider-internal" are for the Tern session and
 * codec, not for applications.
 */
public class TernMessage implements Message {
    private String messageId;
    private long timestamp;
    private Object correlationId;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;

    private final MessageProperties properties = new MessageProperties();
    private boolean bodyReadOnly;
    private MessageAcknowledger acknowledger;

    public TernMessage() {
    }

    // ---- header fields

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The correlation id; one set as bytes is returned decoded as UTF-8. */
    @Override
    public String getJMSCorrelationID() {
        return correlationId instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) correlationId;
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
    }

    /** A copy of the correlation id bytes; one set as a String is returned encoded as UTF-8. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationId instanceof byte[] b) {
            return b.clone();
        }
        return correlationId == null ? null : ((String) correlationId).getBytes(StandardCharsets.UTF_8);
    }

    /** Sets the correlation id as bytes (copied); null clears it. */
    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationId = correlationID == null ? null : correlationID.clone();
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    /** Any destination; only a Tern destination can be sent ({@link MessageCodec#encode}). */
    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    /** The correlation id as set: a String, a byte[] (not copied) or null. */
    Object correlationIdValue() {
        return correlationId;
    }

    // ---- properties

    /** Removes every property (the provider-set delivery count stays) and makes the properties writable. */
    @Override
    public void clearProperties() {
        properties.clear();
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return ValueConversions.toBoolean(properties.get(name), propertyLabel(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return ValueConversions.toByte(properties.get(name), propertyLabel(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return ValueConversions.toShort(properties.get(name), propertyLabel(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return ValueConversions.toInt(properties.get(name), propertyLabel(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return ValueConversions.toLong(properties.get(name), propertyLabel(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return ValueConversions.toFloat(properties.get(name), propertyLabel(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return ValueConversions.toDouble(properties.get(name), propertyLabel(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return ValueConversions.toText(properties.get(name), propertyLabel(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return properties.names();
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        properties.set(name, value);
    }

    /**
     * Sets a Boolean, Byte, Short, Integer, Long, Float, Double, String or null value.
     *
     * @throws MessageFormatException for a value of any other class (Character and byte[] included)
     */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        properties.set(name, value);
    }

    MessageProperties properties() {
        return properties;
    }

    private static String propertyLabel(String name) {
        return "property '" + name + "'";
    }

    // ---- provider hooks

    /**
     * Provider-internal: the session's acknowledgement callback for a received message.
     *
     * @param acknowledger what {@link #acknowledge()} calls, or null to make it do nothing
     */
    public void setAcknowledger(MessageAcknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    /**
     * Provider-internal: records the delivery count from the broker (1 on first delivery). It becomes the property
     * {@code JMSXDeliveryCount}, and JMSRedelivered becomes {@code count > 1}. Works on read-only messages.
     */
    public void setDeliveryCount(int count) {
        properties.setDeliveryCount(count);
        this.redelivered = count > 1;
    }

    /** Provider-internal: the delivery count, 0 for a message that was not received. */
    public int getDeliveryCount() {
        return properties.deliveryCount();
    }

    /** Provider-internal: makes the body and properties read-only, as on a received message. */
    public void setReadOnly() {
        properties.setReadOnly(true);
        setBodyReadOnly(true);
    }

    @Override
    public void acknowledge() throws JMSException {
        if (acknowledger != null) {
            acknowledger.acknowledge();
        }
    }

    // ---- body

    /** Empties the body and makes it writable. */
    @Override
    public void clearBody() throws JMSException {
        bodyReadOnly = false;
    }

    /** A plain Message has no body: returns null whatever the type. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        return null;
    }

    /** A plain Message has no body: true whatever the type. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        return true;
    }

    /** True when the body is read-only (received, or for Bytes and Stream messages, after {@code reset()}). */
    public boolean isBodyReadOnly() {
        return bodyReadOnly;
    }

    void setBodyReadOnly(boolean readOnly) {
        this.bodyReadOnly = readOnly;
    }

    /** @throws MessageNotWriteableException when the body is read-only */
    void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of this " + getClass().getSimpleName() + " is read-only;"
                    + " call clearBody() to write a new one");
        }
    }

    /** @throws MessageNotReadableException when the body is write-only (Bytes and Stream messages before reset) */
    void checkBodyReadable() throws MessageNotReadableException {
        if (!bodyReadOnly) {
            throw new MessageNotReadableException("the body of this " + getClass().getSimpleName() + " is write-only;"
                    + " call reset() to read it");
        }
    }

    /** The body type code of the envelope ({@code MessageEnvelope.BODY_*}). */
    int bodyType() {
        return MessageEnvelope.BODY_MESSAGE;
    }

    /** The body in the format of docs/protocol.md "Bodies by type"; null or empty for none. */
    byte[] encodeBody() throws JMSException {
        return null;
    }

    /** Reads the body from its wire format; the message is then put into read-only mode by the codec. */
    void decodeBody(byte[] body) throws JMSException {
        if (body.length != 0) {
            throw new JMSException("a Message envelope carries " + body.length + " body bytes but a Message has no body");
        }
    }

    /**
     * The body if it is assignable to {@code c}, for {@link #getBody(Class)}.
     *
     * @param declared the type the spec names for this body (String, byte[], Map or the object's class)
     * @throws MessageFormatException when it is not
     */
    static <T> T assign(Object body, Class<?> declared, Class<T> c) throws MessageFormatException {
        if (body == null) {
            return null;
        }
        if (!c.isAssignableFrom(declared)) {
            throw new MessageFormatException("the body is a " + declared.getSimpleName() + " and cannot be assigned to "
                    + c.getName());
        }
        return c.cast(body);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + messageId + ", destination=" + destination
                + (redelivered ? ", redelivered" : "") + "]";
    }
}
