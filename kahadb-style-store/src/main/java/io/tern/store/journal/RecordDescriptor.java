package io.tern.store.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The layout of one journal record: a 12-byte header and a payload. All numbers are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Payload Length (i32)                      |  0
 *  +---------------+-----------------------------------------------+
 *  |  Type (u8)    |              Reserved, always 0               |  4
 *  +---------------+-----------------------------------------------+
 *  |          CRC32C of bytes 0..7 and of the payload              |  8
 *  +---------------------------------------------------------------+
 *  |                        Payload ...                          ...  12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Records follow each other without padding after the file header ({@link FileHeaderDescriptor}). A record is
 * valid when its type is known, its reserved bytes are 0, its payload lies inside the file and its CRC matches;
 * recovery uses nothing else. The payload of each {@link RecordType} is described by {@link RecordCodec}.
 */
final class RecordDescriptor {
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int RESERVED_OFFSET = 5;
    static final int RESERVED_LENGTH = 3;
    static final int CRC_OFFSET = 8;
    static final int HEADER_LENGTH = 12;
    /** The largest payload: 1 GiB, far above the largest frame the broker accepts. */
    static final int MAX_PAYLOAD_LENGTH = 1 << 30;

    private RecordDescriptor() {
    }

    /** A complete record (header and payload) ready to append; position 0, limit its length. */
    static ByteBuffer frame(RecordType type, ByteBuffer payload) {
        int length = payload.remaining();
        checkPayloadLength(length);
        ByteBuffer record = ByteBuffer.allocate(HEADER_LENGTH + length).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(LENGTH_OFFSET, length);
        record.put(TYPE_OFFSET, (byte) type.code());
        record.put(HEADER_LENGTH, payload, payload.position(), length);
        record.putInt(CRC_OFFSET, crc(record, 0));
        return record;
    }

    /**
     * A buffer for a payload of {@code length} bytes that is already the tail of its record's buffer: write the
     * payload (offsets relative to its start), flip it and pass it to {@link #seal}, which adds the header in place
     * instead of copying the payload into a new record as {@link #frame} does.
     */
    static ByteBuffer payloadBuffer(int length) {
        checkPayloadLength(length);
        ByteBuffer record = ByteBuffer.allocate(HEADER_LENGTH + length);
        return record.slice(HEADER_LENGTH, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The record holding {@code payload}, as {@link #frame}: in place when {@code payload} came from
     * {@link #payloadBuffer} and holds all of it (position 0, limit its length), else a copy.
     */
    static ByteBuffer seal(RecordType type, ByteBuffer payload) {
        int length = payload.remaining();
        if (!payload.hasArray() || payload.arrayOffset() != HEADER_LENGTH || payload.position() != 0
                || payload.array().length != HEADER_LENGTH + length) {
            return frame(type, payload);
        }
        ByteBuffer record = ByteBuffer.wrap(payload.array()).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(LENGTH_OFFSET, length);
        record.put(TYPE_OFFSET, (byte) type.code());
        record.putInt(CRC_OFFSET, crc(record, 0));
        return record;
    }

    /**
     * The CRC32C of the record that starts at {@code start} in {@code buffer}: over the header's first 8 bytes and
     * the payload. The buffer must hold the whole record.
     */
    static int crc(ByteBuffer buffer, int start) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(start).limit(start + CRC_OFFSET));
        int length = buffer.getInt(start + LENGTH_OFFSET);
        int payload = start + HEADER_LENGTH;
        crc.update(buffer.duplicate().position(payload).limit(payload + length));
        return (int) crc.getValue();
    }

    static void checkPayloadLength(int length) {
        if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("record payload length " + length + " is outside 0.."
                    + MAX_PAYLOAD_LENGTH);
        }
    }

    /**
     * Why the header at {@code start} cannot begin a record, or null when it can: the type is known, the reserved
     * bytes are 0 and the payload length fits the {@code available} bytes after the header's start.
     */
    static String headerProblem(ByteBuffer buffer, int start, long available) {
        if (available < HEADER_LENGTH) {
            return "only " + available + " bytes left, a record header needs " + HEADER_LENGTH;
        }
        int type = buffer.get(start + TYPE_OFFSET) & 0xFF;
        if (RecordType.of(type) == null) {
            return "unknown record type " + type;
        }
        for (int i = 0; i < RESERVED_LENGTH; i++) {
            int b = buffer.get(start + RESERVED_OFFSET + i) & 0xFF;
            if (b != 0) {
                return "reserved byte " + i + " is " + b + ", not 0";
            }
        }
        int length = buffer.getInt(start + LENGTH_OFFSET);
        if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
            return "payload length " + length + " is outside 0.." + MAX_PAYLOAD_LENGTH;
        }
        if (HEADER_LENGTH + (long) length > available) {
            return "payload length " + length + " runs past the end of the file (" + (available - HEADER_LENGTH)
                    + " bytes left)";
        }
        return null;
    }

    static int payloadLength(ByteBuffer buffer, int start) {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    static RecordType type(ByteBuffer buffer, int start) {
        return RecordType.of(buffer.get(start + TYPE_OFFSET) & 0xFF);
    }

    static int storedCrc(ByteBuffer buffer, int start) {
        return buffer.getInt(start + CRC_OFFSET);
    }
}
