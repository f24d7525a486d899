package io.tern.jms.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.TypedValues;
import io.tern.jms.wire.WireFields;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message whose body is a set of named typed values.
 *
 * <p>Rules kept here: names are not null or empty ({@link IllegalArgumentException}); values convert as in
 * {@link ValueConversions}, and an absent name reads as null; byte[] values are copied in and out; a received message's
 * body is read-only until {@link #clearBody()}. {@code getBody} returns a copy as a {@link Map}, or null when there are
 * no entries. Wire body: {@code i32} count, then count × ({@code str} name, typed value).
 */
public class TernMapMessage extends TernMessage implements MapMessage {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    public TernMapMessage() {
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return ValueConversions.toBoolean(entries.get(name), label(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return ValueConversions.toByte(entries.get(name), label(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return ValueConversions.toShort(entries.get(name), label(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return ValueConversions.toChar(entries.get(name), label(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return ValueConversions.toInt(entries.get(name), label(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return ValueConversions.toLong(entries.get(name), label(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return ValueConversions.toFloat(entries.get(name), label(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return ValueConversions.toDouble(entries.get(name), label(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return ValueConversions.toText(entries.get(name), label(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        return ValueConversions.toBytes(entries.get(name), label(name));
    }

    @Override
    public Object getObject(String name) {
        return ValueConversions.toObject(entries.get(name));
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new ArrayList<>(entries.keySet()));
    }

    @Override
    public boolean itemExists(String name) {
        return entries.containsKey(name);
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Sets a copy of {@code value} (null sets a null entry). */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    /** Sets a copy of the given range. */
    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        checkName(name);
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    /**
     * Sets a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) or null entry.
     *
     * @throws MessageFormatException for any other class
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        checkBodyWritable();
        checkName(name);
        if (!ValueConversions.isBodyValue(value)) {
            throw new MessageFormatException("map entry '" + name + "' cannot hold a " + value.getClass().getName()
                    + "; only primitives' wrappers, String and byte[] can");
        }
        put(name, ValueConversions.toObject(value));
    }

    @Override
    public void clearBody() throws JMSException {
        entries.clear();
        super.clearBody();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (entries.isEmpty()) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.put(k, ValueConversions.toObject(v)));
        return assign(copy, Map.class, c);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return entries.isEmpty() || ((Class<?>) c).isAssignableFrom(Map.class);
    }

    @Override
    int bodyType() {
        return MessageEnvelope.BODY_MAP;
    }

    @Override
    byte[] encodeBody() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(entries.size());
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                WireFields.writeString(buf, e.getKey());
                TypedValues.write(buf, e.getValue());
            }
            byte[] body = new byte[buf.readableBytes()];
            buf.readBytes(body);
            return body;
        } finally {
            buf.release();
        }
    }

    @Override
    void decodeBody(byte[] body) throws JMSException {
        entries.clear();
        if (body.length == 0) {
            return;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            int count = WireFields.readInt(buf, "map entry count");
            if (count < 0 || count > buf.readableBytes() / 5) {
                throw new MalformedFrameException("map entry count " + count + " does not fit in "
                        + buf.readableBytes() + " bytes");
            }
            for (int i = 0; i < count; i++) {
                String name = WireFields.readString(buf, "map entry name");
                if (name == null || name.isEmpty()) {
                    throw new MalformedFrameException("map entry " + i + " has no name");
                }
                entries.put(name, TypedValues.read(buf, "map entry '" + name + "'"));
            }
            if (buf.isReadable()) {
                throw new MalformedFrameException("map body has " + buf.readableBytes() + " trailing bytes");
            }
        } catch (MalformedFrameException e) {
            throw MessageExceptions.malformed("MapMessage body", e);
        }
    }

    private void put(String name, Object value) throws JMSException {
        checkBodyWritable();
        checkName(name);
        entries.put(name, value);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a map entry name must not be null or empty");
        }
    }

    private static String label(String name) {
        return "map entry '" + name + "'";
    }
}
