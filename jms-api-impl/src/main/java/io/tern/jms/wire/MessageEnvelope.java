package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.tern.jms.wire.WireFields.readBytes;
import static io.tern.jms.wire.WireFields.readDestination;
import static io.tern.jms.wire.WireFields.readInt;
import static io.tern.jms.wire.WireFields.readLong;
import static io.tern.jms.wire.WireFields.readString;
import static io.tern.jms.wire.WireFields.readUnsignedByte;

/**
 * The layout of one message as the producer encodes it, once: the bytes the broker stores and passes to every
 * consumer unchanged. The broker reads the header, reads properties only when it needs them, and never the body.
 *
 * <pre>
 * offset size  field
 *  0     u8    envelope version (1)
 *  1     u8    body type: 0 Message, 1 TextMessage, 2 BytesMessage, 3 MapMessage, 4 ObjectMessage, 5 StreamMessage
 *  2     u8    flags: bit 0 = persistent
 *  3     u8    priority (0..9)
 *  4     i64   timestamp (epoch ms, 0 = not set)
 * 12     i64   expiration (epoch ms, 0 = never)
 * 20     i64   delivery time (epoch ms, 0 = at once)
 * 28     str   message id
 *        dest  destination
 *        dest  reply-to
 *        u8    correlation id kind: 0 none, 1 string (str follows), 2 bytes (bytes follows)
 *        str   JMSType
 *        i32   properties section length P
 *        P     properties: i32 count, then count x (str name, typed value, see {@link TypedValues})
 *        ...   body, to the end of the envelope (its format depends on the body type)
 * </pre>
 */
public final class MessageEnvelope {
    public static final int VERSION = 1;

    public static final int BODY_MESSAGE = 0;
    public static final int BODY_TEXT = 1;
    public static final int BODY_BYTES = 2;
    public static final int BODY_MAP = 3;
    public static final int BODY_OBJECT = 4;
    public static final int BODY_STREAM = 5;

    public static final int VERSION_OFFSET = 0;
    public static final int BODY_TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int PRIORITY_OFFSET = 3;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int EXPIRATION_OFFSET = 12;
    public static final int DELIVERY_TIME_OFFSET = 20;
    public static final int MESSAGE_ID_OFFSET = 28;

    public static final int FLAG_PERSISTENT = 1;

    private static final int CORRELATION_NONE = 0;
    private static final int CORRELATION_STRING = 1;
    private static final int CORRELATION_BYTES = 2;

    private final byte[] bytes;
    private final MessageHeader header;
    private final int propertiesOffset;
    private final int propertiesLength;
    private Map<String, Object> properties;

    private MessageEnvelope(byte[] bytes, MessageHeader header, int propertiesOffset, int propertiesLength) {
        this.bytes = bytes;
        this.header = header;
        this.propertiesOffset = propertiesOffset;
        this.propertiesLength = propertiesLength;
    }

    /**
     * Encodes a message. {@code properties} values must be types {@link TypedValues} writes; {@code body} is the
     * body already in its type's format (may be null for none).
     */
    public static byte[] encode(MessageHeader h, Map<String, Object> properties, byte[] body) {
        ByteBuf out = Unpooled.buffer(128 + (body == null ? 0 : body.length));
        try {
            out.writeByte(VERSION);
            out.writeByte(h.bodyType());
            out.writeByte(h.persistent() ? FLAG_PERSISTENT : 0);
            out.writeByte(h.priority());
            out.writeLong(h.timestamp());
            out.writeLong(h.expiration());
            out.writeLong(h.deliveryTime());
            WireFields.writeString(out, h.messageId());
            WireFields.writeDestination(out, h.destination());
            WireFields.writeDestination(out, h.replyTo());
            Object corr = h.correlationId();
            if (corr == null) {
                out.writeByte(CORRELATION_NONE);
            } else if (corr instanceof byte[] b) {
                out.writeByte(CORRELATION_BYTES);
                WireFields.writeBytes(out, b);
            } else {
                out.writeByte(CORRELATION_STRING);
                WireFields.writeString(out, corr.toString());
            }
            WireFields.writeString(out, h.type());
            int lengthAt = out.writerIndex();
            out.writeInt(0);
            out.writeInt(properties == null ? 0 : properties.size());
            if (properties != null) {
                for (Map.Entry<String, Object> e : properties.entrySet()) {
                    WireFields.writeString(out, e.getKey());
                    TypedValues.write(out, e.getValue());
                }
            }
            out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
            if (body != null) {
                out.writeBytes(body);
            }
            byte[] result = new byte[out.readableBytes()];
            out.readBytes(result);
            return result;
        } finally {
            out.release();
        }
    }

    /**
     * Reads the header of an envelope; properties are read later, on demand.
     *
     * @throws MalformedFrameException naming the bad field
     */
    public static MessageEnvelope parse(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        int version = readUnsignedByte(in, "envelope version");
        if (version != VERSION) {
            throw new MalformedFrameException("envelope version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        int bodyType = readUnsignedByte(in, "envelope body type");
        if (bodyType > BODY_STREAM) {
            throw new MalformedFrameException("envelope body type " + bodyType + " is unknown");
        }
        int flags = readUnsignedByte(in, "envelope flags");
        int priority = readUnsignedByte(in, "envelope priority");
        if (priority > 9) {
            throw new MalformedFrameException("envelope priority " + priority + " is outside 0..9");
        }
        long timestamp = readLong(in, "envelope timestamp");
        long expiration = readLong(in, "envelope expiration");
        long deliveryTime = readLong(in, "envelope delivery time");
        String messageId = readString(in, "envelope message id");
        WireDestination destination = readDestination(in, "envelope destination");
        if (destination == null) {
            throw new MalformedFrameException("envelope has no destination");
        }
        WireDestination replyTo = readDestination(in, "envelope reply-to");
        int corrKind = readUnsignedByte(in, "envelope correlation id kind");
        Object corr = switch (corrKind) {
            case CORRELATION_NONE -> null;
            case CORRELATION_STRING -> readString(in, "envelope correlation id");
            case CORRELATION_BYTES -> readBytes(in, "envelope correlation id");
            default -> throw new MalformedFrameException("envelope correlation id kind " + corrKind + " is unknown");
        };
        String type = readString(in, "envelope JMSType");
        int propertiesLength = readInt(in, "envelope properties length");
        if (propertiesLength < 4 || propertiesLength > in.readableBytes()) {
            throw new MalformedFrameException("envelope properties length " + propertiesLength + " does not fit in "
                    + in.readableBytes() + " remaining bytes");
        }
        MessageHeader header = new MessageHeader(bodyType, (flags & FLAG_PERSISTENT) != 0, priority, timestamp,
                expiration, deliveryTime, messageId, destination, replyTo, corr, type);
        return new MessageEnvelope(bytes, header, in.readerIndex(), propertiesLength);
    }

    public MessageHeader header() {
        return header;
    }

    /** The envelope's bytes, exactly as the producer encoded them. Do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * The message properties, read on first call, in the order the producer set them. Unmodifiable.
     *
     * @throws MalformedFrameException naming the bad property
     */
    public synchronized Map<String, Object> properties() {
        if (properties == null) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, propertiesOffset, propertiesLength);
            int count = readInt(in, "properties count");
            if (count < 0 || count > propertiesLength / 6) {
                throw new MalformedFrameException("properties count " + count + " does not fit in "
                        + propertiesLength + " bytes");
            }
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                String name = readString(in, "property name");
                if (name == null) {
                    throw new MalformedFrameException("property " + i + " has no name");
                }
                map.put(name, TypedValues.read(in, "property '" + name + "'"));
            }
            if (in.isReadable()) {
                throw new MalformedFrameException("properties section has " + in.readableBytes() + " trailing bytes");
            }
            properties = Collections.unmodifiableMap(map);
        }
        return properties;
    }

    /** The offset of the body in {@link #bytes()}. */
    public int bodyOffset() {
        return propertiesOffset + propertiesLength;
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return bytes.length - bodyOffset();
    }

    /** A copy of the body bytes (clients only: the broker never reads a body). */
    public byte[] body() {
        byte[] body = new byte[bodyLength()];
        System.arraycopy(bytes, bodyOffset(), body, 0, body.length);
        return body;
    }

}
