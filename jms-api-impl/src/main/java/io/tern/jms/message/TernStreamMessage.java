package io.tern.jms.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.TypedValues;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.StreamMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A message whose body is a sequence of typed values, written and then read in order.
 *
 * <p>Rules kept here:
 * <ul>
 * <li>Modes as for {@link TernBytesMessage}: write-only until {@link #reset()}, read-only after it and when
 * received.</li>
 * <li>Reads convert as in {@link ValueConversions}. A read that fails with {@link MessageFormatException},
 * {@link NumberFormatException} or {@link NullPointerException} does not move the position, so the item can be read
 * again as another type. Past the last item, reads throw {@link MessageEOFException}.</li>
 * <li>{@link #readBytes(byte[])} reads a byte[] item in chunks: it returns the bytes copied; a return smaller than the
 * buffer ends the item; after a return equal to the buffer the next call returns the next chunk, or -1 when the item
 * is done. A null item reads as -1, an empty one as 0. Until a started item is read to its end, other reads throw
 * {@link MessageFormatException}.</li>
 * <li>{@code getBody} always throws {@link MessageFormatException}; {@code isBodyAssignableTo} is always false.</li>
 * </ul>
 * Wire body: the items as typed values one after another.
 */
public class TernStreamMessage extends TernMessage implements StreamMessage {
    private final List<Object> items = new ArrayList<>();
    /** The index of the next item to read. */
    private int position;
    /** How far the byte[] item at {@link #position} has been read by readBytes; -1 when none is started. */
    private int bytesRead = -1;

    public TernStreamMessage() {
    }

    @Override
    public boolean readBoolean() throws JMSException {
        boolean v = ValueConversions.toBoolean(peek(), label());
        position++;
        return v;
    }

    @Override
    public byte readByte() throws JMSException {
        byte v = ValueConversions.toByte(peek(), label());
        position++;
        return v;
    }

    @Override
    public short readShort() throws JMSException {
        short v = ValueConversions.toShort(peek(), label());
        position++;
        return v;
    }

    @Override
    public char readChar() throws JMSException {
        char v = ValueConversions.toChar(peek(), label());
        position++;
        return v;
    }

    @Override
    public int readInt() throws JMSException {
        int v = ValueConversions.toInt(peek(), label());
        position++;
        return v;
    }

    @Override
    public long readLong() throws JMSException {
        long v = ValueConversions.toLong(peek(), label());
        position++;
        return v;
    }

    @Override
    public float readFloat() throws JMSException {
        float v = ValueConversions.toFloat(peek(), label());
        position++;
        return v;
    }

    @Override
    public double readDouble() throws JMSException {
        double v = ValueConversions.toDouble(peek(), label());
        position++;
        return v;
    }

    @Override
    public String readString() throws JMSException {
        String v = ValueConversions.toText(peek(), label());
        position++;
        return v;
    }

    /** The next item as written (a byte[] is copied), or null for a null item. */
    @Override
    public Object readObject() throws JMSException {
        Object v = ValueConversions.toObject(peek());
        position++;
        return v;
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        checkBodyReadable();
        boolean starting = bytesRead < 0;
        if (starting) {
            Object item = peek();
            if (item == null) {
                position++;
                return -1;
            }
            if (!(item instanceof byte[])) {
                throw new MessageFormatException(label() + " holds a " + ValueConversions.typeName(item)
                        + ", which cannot be read as byte[]");
            }
            bytesRead = 0;
        }
        byte[] item = (byte[]) items.get(position);
        int remaining = item.length - bytesRead;
        if (remaining == 0 && !starting) {
            endBytesItem();
            return -1;
        }
        int n = Math.min(remaining, value.length);
        System.arraycopy(item, bytesRead, value, 0, n);
        bytesRead += n;
        if (n < value.length) {
            endBytesItem();
        }
        return n;
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    /** Writes a copy of {@code value} as one byte[] item (null writes a null item). */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    /** Writes a copy of the given range as one byte[] item. */
    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        add(Arrays.copyOfRange(value, offset, Math.addExact(offset, length)));
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[] (copied) or null item.
     *
     * @throws MessageFormatException for any other class
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (!ValueConversions.isBodyValue(value)) {
            checkBodyWritable();
            throw new MessageFormatException("StreamMessage.writeObject cannot write a " + value.getClass().getName());
        }
        add(ValueConversions.toObject(value));
    }

    /** Makes the body read-only and moves to the first item. */
    @Override
    public void reset() {
        setBodyReadOnly(true);
        position = 0;
        bytesRead = -1;
    }

    @Override
    public void clearBody() throws JMSException {
        items.clear();
        position = 0;
        bytesRead = -1;
        super.clearBody();
    }

    /** @throws MessageFormatException always: a StreamMessage body cannot be read as one object */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("the body of a StreamMessage cannot be read with getBody; use its read methods");
    }

    /** Always false, as the spec says for a StreamMessage. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }

    @Override
    int bodyType() {
        return MessageEnvelope.BODY_STREAM;
    }

    @Override
    byte[] encodeBody() {
        ByteBuf buf = Unpooled.buffer();
        try {
            for (Object item : items) {
                TypedValues.write(buf, item);
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
        items.clear();
        ByteBuf buf = Unpooled.wrappedBuffer(body);
        try {
            while (buf.isReadable()) {
                items.add(TypedValues.read(buf, "stream item " + items.size()));
            }
        } catch (MalformedFrameException e) {
            throw MessageExceptions.malformed("StreamMessage body", e);
        }
        position = 0;
        bytesRead = -1;
    }

    private Object peek() throws JMSException {
        checkBodyReadable();
        if (bytesRead >= 0) {
            throw new MessageFormatException("the byte[] at stream item " + position + " is partly read;"
                    + " read it to its end with readBytes first");
        }
        if (position >= items.size()) {
            throw new MessageEOFException("the end of the StreamMessage body was reached (" + items.size() + " items)");
        }
        return items.get(position);
    }

    private void endBytesItem() {
        position++;
        bytesRead = -1;
    }

    private void add(Object value) throws JMSException {
        checkBodyWritable();
        items.add(value);
    }

    private String label() {
        return "stream item " + position;
    }
}
