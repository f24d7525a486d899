package io.tern.jms.wire;

/**
 * The layout every frame shares, and the protocol's size limits.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                 length (u32, bytes after this field)          |
 * +---------------+-----------------------------------------------+
 * |   type (u8)   |          correlation id (i32) ...             |
 * +---------------+-----------------------------------------------+
 * |     ...       |          payload (length - 5 bytes) ...       |
 * +---------------------------------------------------------------+
 * </pre>
 * All integers are big-endian.
 */
public final class FrameDescriptor {
    /** Protocol version spoken by this build; HELLO offers it and HELLO_OK confirms it. */
    public static final int PROTOCOL_VERSION = 1;

    public static final int LENGTH_FIELD_SIZE = 4;
    public static final int TYPE_OFFSET = 0;
    public static final int CORRELATION_ID_OFFSET = 1;
    /** Bytes counted by the length field before the payload starts: type and correlation id. */
    public static final int HEADER_AFTER_LENGTH = 5;

    /** Smallest maximum frame size a peer may negotiate. */
    public static final int MIN_MAX_FRAME_SIZE = 1024;
    /** Default largest frame, length field excluded: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
    /**
     * Bytes a message frame adds around the envelope, at most (DELIVER: type, correlation id, consumer id, delivery
     * id, delivery count and the envelope's length field make 29). An envelope may be at most
     * {@code maxFrameSize - MESSAGE_FRAME_OVERHEAD} bytes, so that both its SEND and its DELIVER fit.
     */
    public static final int MESSAGE_FRAME_OVERHEAD = 32;
    /** Largest frame a broker accepts before the handshake has negotiated a size. */
    public static final int HANDSHAKE_MAX_FRAME_SIZE = 64 * 1024;

    private FrameDescriptor() {
    }

    /** The largest message envelope that fits in frames of {@code maxFrameSize}. */
    public static int maxEnvelopeSize(int maxFrameSize) {
        return maxFrameSize - MESSAGE_FRAME_OVERHEAD;
    }

    /** Checks a length field against the limit; returns a reason when it is not acceptable, else null. */
    public static String checkLength(long length, int maxFrameSize) {
        if (length < HEADER_AFTER_LENGTH) {
            return "frame length " + length + " is shorter than the " + HEADER_AFTER_LENGTH + "-byte frame header";
        }
        if (length > maxFrameSize) {
            return "frame length " + length + " exceeds the maximum frame size " + maxFrameSize;
        }
        return null;
    }
}
