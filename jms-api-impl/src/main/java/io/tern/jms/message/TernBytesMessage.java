package io.tern.jms.message;

import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;

/**
 * A message whose body is a stream of bytes written and read with {@code DataOutput}/{@code DataInput} encodings.
 *
 * <p>Modes: a new or cleared message is write-only (reads throw {@link jakarta.jms.MessageNotReadableException});
 * {@link #reset()} makes it read-only (writes throw {@link jakarta.jms.MessageNotWriteableException}) and moves to the
 * start. A received message is read-only. Reading past the end throws {@link MessageEOFException} and leaves the
 * position where it was. The wire body is the bytes as written.
 */
public class TernBytesMessage extends TernMessage implements BytesMessage {
    private static final byte[] EMPTY = new byte[0];

    private ByteArrayOutputStream written = new ByteArrayOutputStream();
    private DataOutputStream out = new DataOutputStream(written);
    /** The body in read-only mode; null while writing. */
    private byte[] content;
    private DataInputStream in;

    public TernBytesMessage() {
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(DataInputStream in) throws IOException;
    }

    @FunctionalInterface
    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    /** @throws jakarta.jms.MessageNotReadableException while in write-only mode */
    @Override
    public long getBodyLength() throws JMSException {
        checkBodyReadable();
        return content.length;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return read("boolean", DataInputStream::readBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return read("byte", DataInputStream::readByte);
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return read("unsigned byte", DataInputStream::readUnsignedByte);
    }

    @Override
    public short readShort() throws JMSException {
        return read("short", DataInputStream::readShort);
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return read("unsigned short", DataInputStream::readUnsignedShort);
    }

    @Override
    public char readChar() throws JMSException {
        return read("char", DataInputStream::readChar);
    }

    @Override
    public int readInt() throws JMSException {
        return read("int", DataInputStream::readInt);
    }

    @Override
    public long readLong() throws JMSException {
        return read("long", DataInputStream::readLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return read("float", DataInputStream::readFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return read("double", DataInputStream::readDouble);
    }

    /** Reads a string in modified UTF-8 as {@code DataInput.readUTF}; bad encoding → MessageFormatException. */
    @Override
    public String readUTF() throws JMSException {
        return read("UTF string", in -> in.readUTF());
    }

    /** Same as {@code readBytes(value, value.length)}. */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /**
     * Reads up to {@code length} bytes into the start of {@code value}.
     *
     * @return the number of bytes read: fewer than {@code length} when the body ends first, -1 when no bytes remain
     * @throws IndexOutOfBoundsException when {@code length} is negative or larger than {@code value}; nothing is read
     */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        checkBodyReadable();
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is outside 0.." + value.length);
        }
        return read("bytes", in -> in.read(value, 0, length));
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(out -> out.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(out -> out.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(out -> out.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(out -> out.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(out -> out.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(out -> out.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(out -> out.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(out -> out.writeDouble(value));
    }

    /** Writes modified UTF-8 as {@code DataOutput.writeUTF}; over 65535 encoded bytes → MessageFormatException. */
    @Override
    public void writeUTF(String value) throws JMSException {
        write(out -> out.writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(out -> out.write(value));
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(out -> out.write(value, offset, length));
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String (as UTF) or byte[].
     *
     * @throws NullPointerException for null
     * @throws MessageFormatException for any other class
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("BytesMessage.writeObject cannot write null");
        }
        checkBodyWritable();
        if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("BytesMessage.writeObject cannot write a " + value.getClass().getName());
        }
    }

    /** Makes the body read-only (when writing) and moves to its start. */
    @Override
    public void reset() {
        if (content == null) {
            content = written.toByteArray();
            written = null;
            out = null;
        }
        in = new DataInputStream(new ByteArrayInputStream(content));
        setBodyReadOnly(true);
    }

    @Override
    public void clearBody() throws JMSException {
        content = null;
        in = null;
        written = new ByteArrayOutputStream();
        out = new DataOutputStream(written);
        super.clearBody();
    }

    /**
     * The whole body as a byte[] (null when empty), whatever the read position. As the spec says, the message is
     * {@link #reset()} before and after, so it is in read-only mode afterwards.
     */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        reset();
        byte[] body = content.length == 0 ? null : content.clone();
        reset();
        return assign(body, byte[].class, c);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return bodyBytes().length == 0 || ((Class<?>) c).isAssignableFrom(byte[].class);
    }

    @Override
    int bodyType() {
        return MessageEnvelope.BODY_BYTES;
    }

    @Override
    byte[] encodeBody() {
        return bodyBytes();
    }

    @Override
    void decodeBody(byte[] body) {
        content = body;
        written = null;
        out = null;
        in = new DataInputStream(new ByteArrayInputStream(content));
    }

    /** The body so far (writing) or in full (reading); not a copy while reading. */
    private byte[] bodyBytes() {
        if (content != null) {
            return content;
        }
        return written == null ? EMPTY : written.toByteArray();
    }

    private <T> T read(String what, Read<T> read) throws JMSException {
        checkBodyReadable();
        in.mark(0);
        try {
            return read.from(in);
        } catch (EOFException e) {
            rewind();
            throw MessageExceptions.link(new MessageEOFException("cannot read a " + what
                    + ": the end of the BytesMessage body was reached"), e);
        } catch (UTFDataFormatException e) {
            rewind();
            throw MessageExceptions.format("cannot read a " + what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw MessageExceptions.link(new JMSException("cannot read a " + what + ": " + e), e);
        }
    }

    private void rewind() {
        try {
            in.reset();
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream cannot fail to reset", e);
        }
    }

    private void write(Write write) throws JMSException {
        checkBodyWritable();
        try {
            write.to(out);
        } catch (UTFDataFormatException e) {
            throw MessageExceptions.format("cannot write the string: " + e.getMessage(), e);
        } catch (IOException e) {
            throw MessageExceptions.link(new JMSException("cannot write to the BytesMessage body: " + e), e);
        }
    }
}
