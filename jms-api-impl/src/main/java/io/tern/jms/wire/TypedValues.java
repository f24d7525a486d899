package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;

import static io.tern.jms.wire.WireFields.readBytes;
import static io.tern.jms.wire.WireFields.readInt;
import static io.tern.jms.wire.WireFields.readLong;
import static io.tern.jms.wire.WireFields.readString;
import static io.tern.jms.wire.WireFields.readUnsignedByte;
import static io.tern.jms.wire.WireFields.readUnsignedShort;

/**
 * The typed values of message properties and of map and stream message bodies: a tag byte, then the value.
 *
 * <pre>
 * tag  type      value
 *  0   null      (none)
 *  1   boolean   u8 (0 or 1)
 *  2   byte      i8
 *  3   short     i16
 *  4   char      u16
 *  5   int       i32
 *  6   long      i64
 *  7   float     i32 (IEEE 754 bits)
 *  8   double    i64 (IEEE 754 bits)
 *  9   String    str
 * 10   byte[]    bytes
 * </pre>
 */
public final class TypedValues {
    public static final int NULL = 0;
    public static final int BOOLEAN = 1;
    public static final int BYTE = 2;
    public static final int SHORT = 3;
    public static final int CHAR = 4;
    public static final int INT = 5;
    public static final int LONG = 6;
    public static final int FLOAT = 7;
    public static final int DOUBLE = 8;
    public static final int STRING = 9;
    public static final int BYTES = 10;

    private TypedValues() {
    }

    /**
     * Writes one value.
     *
     * @throws IllegalArgumentException for a value of any other Java type
     */
    public static void write(ByteBuf out, Object value) {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            WireFields.writeString(out, s);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeByte(b ? 1 : 0);
        } else if (value instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (value instanceof Short s) {
            out.writeByte(SHORT);
            out.writeShort(s);
        } else if (value instanceof Character c) {
            out.writeByte(CHAR);
            out.writeChar(c);
        } else if (value instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof byte[] b) {
            out.writeByte(BYTES);
            WireFields.writeBytes(out, b);
        } else {
            throw new IllegalArgumentException("a value of type " + value.getClass().getName()
                    + " cannot be written; only primitives' wrappers, String and byte[] can");
        }
    }

    /** Reads one value; {@code field} names it in the error when the bytes are bad. */
    public static Object read(ByteBuf in, String field) {
        int tag = readUnsignedByte(in, field);
        return switch (tag) {
            case NULL -> null;
            case BOOLEAN -> readUnsignedByte(in, field) != 0;
            case BYTE -> (byte) readUnsignedByte(in, field);
            case SHORT -> (short) readUnsignedShort(in, field);
            case CHAR -> (char) readUnsignedShort(in, field);
            case INT -> readInt(in, field);
            case LONG -> readLong(in, field);
            case FLOAT -> Float.intBitsToFloat(readInt(in, field));
            case DOUBLE -> Double.longBitsToDouble(readLong(in, field));
            case STRING -> readString(in, field);
            case BYTES -> readBytes(in, field);
            default -> throw new MalformedFrameException(field + ": unknown value tag " + tag);
        };
    }
}
