package io.tern.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of one message, in the order they were set.
 * <ul>
 * <li>Values are Boolean, Byte, Short, Integer, Long, Float, Double, String or null; {@value PropertyNames#GROUP_ID}
 * must be a String and {@value PropertyNames#GROUP_SEQ} an Integer.</li>
 * <li>Once read-only (a received message), setting throws {@link MessageNotWriteableException} until
 * {@link #clear()}.</li>
 * <li>The delivery count is kept apart: it is read as the property {@value PropertyNames#DELIVERY_COUNT} when above
 * zero, survives {@link #clear()}, ignores read-only mode and is never sent.</li>
 * </ul>
 */
final class MessageProperties {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private int deliveryCount;
    private boolean readOnly;

    /** Sets a property for the application, checking mode, name and type. */
    void set(String name, Object value) throws JMSException {
        if (readOnly) {
            throw new MessageNotWriteableException("cannot set property '" + name + "': the properties of a received"
                    + " message are read-only until clearProperties() is called");
        }
        PropertyNames.checkSettable(name);
        if (value != null && !ValueConversions.isPropertyValue(value)) {
            throw new MessageFormatException("property '" + name + "' cannot hold a "
                    + value.getClass().getName() + "; only Boolean, Byte, Short, Integer, Long, Float, Double and"
                    + " String can be property values");
        }
        if (PropertyNames.GROUP_ID.equals(name) && value != null && !(value instanceof String)) {
            throw new MessageFormatException(name + " must be a String, not a " + ValueConversions.typeName(value));
        }
        if (PropertyNames.GROUP_SEQ.equals(name) && !(value instanceof Integer)) {
            throw new MessageFormatException(name + " must be an int, not a " + ValueConversions.typeName(value));
        }
        values.put(name, value);
    }

    /** Puts a property without checks: for decoding and copying, where the value is already known to be valid. */
    void putUnchecked(String name, Object value) {
        values.put(name, value);
    }

    Object get(String name) {
        if (deliveryCount > 0 && PropertyNames.DELIVERY_COUNT.equals(name)) {
            return deliveryCount;
        }
        return values.get(name);
    }

    boolean exists(String name) {
        return (deliveryCount > 0 && PropertyNames.DELIVERY_COUNT.equals(name)) || values.containsKey(name);
    }

    Enumeration<String> names() {
        List<String> names = new ArrayList<>(values.keySet());
        if (deliveryCount > 0) {
            names.add(PropertyNames.DELIVERY_COUNT);
        }
        return Collections.enumeration(names);
    }

    /** Removes every property but the delivery count and makes the properties writable. */
    void clear() {
        values.clear();
        readOnly = false;
    }

    void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    int deliveryCount() {
        return deliveryCount;
    }

    void setDeliveryCount(int deliveryCount) {
        this.deliveryCount = deliveryCount;
    }

    /** A snapshot of the properties to send: everything but the delivery count. */
    Map<String, Object> toSend() {
        return new LinkedHashMap<>(values);
    }
}
