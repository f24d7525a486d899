package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the field types every Tern frame and message envelope is built from.
 * Every read checks the bytes left and fails with {@link MalformedFrameException} naming the field,
 * so a truncated or garbled input never throws an index exception into the pipeline.
 *
 * <pre>
 * str   := i32 byteLength (-1 = null) | UTF-8 bytes
 * bytes := i32 length (-1 = null) | bytes
 * dest  := u8 kind (0 = null, else {@link DestinationKind}) | str name (present when kind != 0)
 * ids   := i32 count | count x i64
 * </pre>
 */
public final class WireFields {
    private WireFields() {
    }

    public static void writeString(ByteBuf out, String value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.setInt(lengthAt, written);
    }

    public static String readString(ByteBuf in, String field) {
        int length = readInt(in, field);
        if (length == -1) {
            return null;
        }
        checkLength(in, length, field);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    public static void writeBytes(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    public static byte[] readBytes(ByteBuf in, String field) {
        int length = readInt(in, field);
        if (length == -1) {
            return null;
        }
        checkLength(in, length, field);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    public static void writeDestination(ByteBuf out, WireDestination destination) {
        if (destination == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(destination.kind().code());
        writeString(out, destination.name());
    }

    public static WireDestination readDestination(ByteBuf in, String field) {
        int kind = readUnsignedByte(in, field);
        if (kind == 0) {
            return null;
        }
        DestinationKind k;
        try {
            k = DestinationKind.of(kind);
        } catch (MalformedFrameException e) {
            throw new MalformedFrameException(field + ": unknown destination kind " + kind);
        }
        String name = readString(in, field);
        if (name == null || name.isEmpty()) {
            throw new MalformedFrameException(field + ": destination without a name");
        }
        return new WireDestination(k, name);
    }

    public static void writeIds(ByteBuf out, long[] ids) {
        out.writeInt(ids.length);
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    public static long[] readIds(ByteBuf in, String field) {
        int count = readInt(in, field);
        if (count < 0 || (long) count * Long.BYTES > in.readableBytes()) {
            throw new MalformedFrameException(field + ": id count " + count + " does not fit in "
                    + in.readableBytes() + " remaining bytes");
        }
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.readLong();
        }
        return ids;
    }

    public static int readUnsignedByte(ByteBuf in, String field) {
        need(in, 1, field);
        return in.readUnsignedByte();
    }

    public static int readUnsignedShort(ByteBuf in, String field) {
        need(in, 2, field);
        return in.readUnsignedShort();
    }

    public static int readInt(ByteBuf in, String field) {
        need(in, 4, field);
        return in.readInt();
    }

    public static long readLong(ByteBuf in, String field) {
        need(in, 8, field);
        return in.readLong();
    }

    private static void checkLength(ByteBuf in, int length, String field) {
        if (length < 0 || length > in.readableBytes()) {
            throw new MalformedFrameException(field + ": length " + length + " but only "
                    + in.readableBytes() + " bytes remain");
        }
    }

    private static void need(ByteBuf in, int bytes, String field) {
        if (in.readableBytes() < bytes) {
            throw new MalformedFrameException(field + ": needs " + bytes + " bytes but only "
                    + in.readableBytes() + " remain");
        }
    }
}
