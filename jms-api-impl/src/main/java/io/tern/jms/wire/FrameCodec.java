package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;

import static io.tern.jms.wire.WireFields.readBytes;
import static io.tern.jms.wire.WireFields.readDestination;
import static io.tern.jms.wire.WireFields.readIds;
import static io.tern.jms.wire.WireFields.readInt;
import static io.tern.jms.wire.WireFields.readLong;
import static io.tern.jms.wire.WireFields.readString;
import static io.tern.jms.wire.WireFields.readUnsignedByte;
import static io.tern.jms.wire.WireFields.readUnsignedShort;
import static io.tern.jms.wire.WireFields.writeBytes;
import static io.tern.jms.wire.WireFields.writeDestination;
import static io.tern.jms.wire.WireFields.writeIds;
import static io.tern.jms.wire.WireFields.writeString;

/**
 * Writes and reads frame payloads; {@link FrameEncoder} and {@link FrameDecoder} add the length and framing.
 * Field order here is the order documented in {@code docs/protocol.md}.
 */
public final class FrameCodec {
    private FrameCodec() {
    }

    /** Writes a whole frame, length field included. */
    public static void encode(Frame frame, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeByte(frame.type().code());
        out.writeInt(frame.correlationId());
        encodePayload(frame, out);
        out.setInt(lengthAt, out.writerIndex() - lengthAt - FrameDescriptor.LENGTH_FIELD_SIZE);
    }

    /**
     * A buffer capacity that holds {@code frame} whole: exact for a SEND or a DELIVER (most of the bytes any
     * connection writes), 256 for the others, which are small. A buffer that starts at 256 bytes and grows to a
     * 1 KiB message is allocated three times and copied twice.
     */
    public static int sizeHint(Frame frame) {
        if (frame instanceof Frame.Deliver d && d.envelope() != null) {
            return FrameDescriptor.LENGTH_FIELD_SIZE + 1 + 4 + 8 + 8 + 4 + 4 + d.envelope().length;
        }
        if (frame instanceof Frame.Send s && s.envelope() != null) {
            return FrameDescriptor.LENGTH_FIELD_SIZE + 1 + 4 + 4 + 4 + s.envelope().length;
        }
        return 256;
    }

    private static void encodePayload(Frame frame, ByteBuf out) {
        switch (frame.type()) {
            case HELLO -> {
                Frame.Hello f = (Frame.Hello) frame;
                out.writeShort(f.protocolVersion());
                writeString(out, f.clientId());
                writeString(out, f.username());
                writeString(out, f.password());
                out.writeInt(f.maxFrameSize());
                out.writeInt(f.heartbeatMillis());
            }
            case HELLO_OK -> {
                Frame.HelloOk f = (Frame.HelloOk) frame;
                out.writeShort(f.protocolVersion());
                writeString(out, f.brokerName());
                writeString(out, f.brokerVersion());
                writeString(out, f.connectionId());
                out.writeInt(f.maxFrameSize());
                out.writeInt(f.heartbeatMillis());
            }
            case OK, HEARTBEAT, CLOSE -> {
            }
            case ERROR -> {
                Frame.Error f = (Frame.Error) frame;
                out.writeShort(f.code().code());
                writeString(out, f.message());
            }
            case SET_CLIENT_ID -> writeString(out, ((Frame.SetClientId) frame).clientId());
            case SESSION_OPEN -> {
                Frame.SessionOpen f = (Frame.SessionOpen) frame;
                out.writeInt(f.sessionId());
                out.writeByte(f.mode().code());
            }
            case SESSION_CLOSE -> {
                Frame.SessionClose f = (Frame.SessionClose) frame;
                out.writeInt(f.sessionId());
                writeIds(out, f.delivered());
            }
            case CONSUMER_OPEN -> {
                Frame.ConsumerOpen f = (Frame.ConsumerOpen) frame;
                out.writeLong(f.consumerId());
                out.writeInt(f.sessionId());
                writeDestination(out, f.destination());
                writeString(out, f.selector());
                out.writeByte(f.flags());
                writeString(out, f.subscriptionName());
                out.writeInt(f.prefetch());
            }
            case CONSUMER_CLOSE -> {
                Frame.ConsumerClose f = (Frame.ConsumerClose) frame;
                out.writeLong(f.consumerId());
                writeIds(out, f.delivered());
            }
            case TEMP_CREATE -> writeDestination(out, ((Frame.TempCreate) frame).destination());
            case TEMP_DELETE -> writeDestination(out, ((Frame.TempDelete) frame).destination());
            case UNSUBSCRIBE -> writeString(out, ((Frame.Unsubscribe) frame).subscriptionName());
            case BROWSE_END -> out.writeLong(((Frame.BrowseEnd) frame).consumerId());
            case CREDIT -> {
                Frame.Credit f = (Frame.Credit) frame;
                out.writeLong(f.consumerId());
                out.writeInt(f.credit());
            }
            case SEND -> {
                Frame.Send f = (Frame.Send) frame;
                out.writeInt(f.sessionId());
                writeBytes(out, f.envelope());
            }
            case DELIVER -> {
                Frame.Deliver f = (Frame.Deliver) frame;
                out.writeLong(f.consumerId());
                out.writeLong(f.deliveryId());
                out.writeInt(f.deliveryCount());
                writeBytes(out, f.envelope());
            }
            case ACK -> {
                Frame.Ack f = (Frame.Ack) frame;
                out.writeInt(f.sessionId());
                out.writeByte(f.kind().code());
                writeIds(out, f.deliveryIds());
            }
            case TX_COMMIT -> out.writeInt(((Frame.TxCommit) frame).sessionId());
            case TX_ROLLBACK -> out.writeInt(((Frame.TxRollback) frame).sessionId());
            case XA_START -> {
                Frame.XaStart f = (Frame.XaStart) frame;
                out.writeInt(f.sessionId());
                f.xid().write(out);
                out.writeInt(f.flags());
                if (f.timeoutSeconds() != 0) {
                    out.writeInt(f.timeoutSeconds());
                }
            }
            case XA_END -> {
                Frame.XaEnd f = (Frame.XaEnd) frame;
                out.writeInt(f.sessionId());
                f.xid().write(out);
                out.writeInt(f.flags());
            }
            case XA_PREPARE -> ((Frame.XaPrepare) frame).xid().write(out);
            case XA_COMMIT -> {
                Frame.XaCommit f = (Frame.XaCommit) frame;
                f.xid().write(out);
                out.writeByte(f.onePhase() ? 1 : 0);
            }
            case XA_ROLLBACK -> ((Frame.XaRollback) frame).xid().write(out);
            case XA_RECOVER -> {
            }
            case XA_FORGET -> ((Frame.XaForget) frame).xid().write(out);
            case XA_RESULT -> {
                Frame.XaResult f = (Frame.XaResult) frame;
                out.writeInt(f.code());
                writeString(out, f.message());
            }
            case XA_RECOVER_OK -> {
                Frame.XaRecoverOk f = (Frame.XaRecoverOk) frame;
                out.writeInt(f.xids().size());
                f.xids().forEach(x -> x.write(out));
            }
        }
    }

    /**
     * Reads one frame from exactly the bytes after its length field.
     *
     * @throws MalformedFrameException when the type is unknown, a field is cut short or bytes are left over
     */
    public static Frame decode(ByteBuf in) {
        int typeCode = readUnsignedByte(in, "frame type");
        FrameType type = FrameType.of(typeCode);
        if (type == null) {
            throw new MalformedFrameException("unknown frame type 0x" + Integer.toHexString(typeCode));
        }
        int corr = readInt(in, "correlation id");
        Frame frame = decodePayload(type, corr, in);
        if (in.isReadable()) {
            throw new MalformedFrameException(type + " frame has " + in.readableBytes() + " unexpected trailing bytes");
        }
        return frame;
    }

    private static Frame decodePayload(FrameType type, int corr, ByteBuf in) {
        return switch (type) {
            case HELLO -> new Frame.Hello(corr, readUnsignedShort(in, "HELLO.protocolVersion"),
                    readString(in, "HELLO.clientId"), readString(in, "HELLO.username"),
                    readString(in, "HELLO.password"), readInt(in, "HELLO.maxFrameSize"),
                    readInt(in, "HELLO.heartbeatMillis"));
            case HELLO_OK -> new Frame.HelloOk(corr, readUnsignedShort(in, "HELLO_OK.protocolVersion"),
                    readString(in, "HELLO_OK.brokerName"), readString(in, "HELLO_OK.brokerVersion"),
                    readString(in, "HELLO_OK.connectionId"), readInt(in, "HELLO_OK.maxFrameSize"),
                    readInt(in, "HELLO_OK.heartbeatMillis"));
            case OK -> new Frame.Ok(corr);
            case ERROR -> new Frame.Error(corr, ErrorCode.of(readUnsignedShort(in, "ERROR.code")),
                    readString(in, "ERROR.message"));
            case HEARTBEAT -> Frame.Heartbeat.INSTANCE;
            case CLOSE -> new Frame.Close(corr);
            case SET_CLIENT_ID -> new Frame.SetClientId(corr, readString(in, "SET_CLIENT_ID.clientId"));
            case SESSION_OPEN -> new Frame.SessionOpen(corr, readInt(in, "SESSION_OPEN.sessionId"),
                    SessionMode.of(readUnsignedByte(in, "SESSION_OPEN.mode")));
            case SESSION_CLOSE -> new Frame.SessionClose(corr, readInt(in, "SESSION_CLOSE.sessionId"),
                    readIds(in, "SESSION_CLOSE.delivered"));
            case CONSUMER_OPEN -> new Frame.ConsumerOpen(corr, readLong(in, "CONSUMER_OPEN.consumerId"),
                    readInt(in, "CONSUMER_OPEN.sessionId"), requireDestination(in, "CONSUMER_OPEN.destination"),
                    readString(in, "CONSUMER_OPEN.selector"), readUnsignedByte(in, "CONSUMER_OPEN.flags"),
                    readString(in, "CONSUMER_OPEN.subscriptionName"), readInt(in, "CONSUMER_OPEN.prefetch"));
            case CONSUMER_CLOSE -> new Frame.ConsumerClose(corr, readLong(in, "CONSUMER_CLOSE.consumerId"),
                    readIds(in, "CONSUMER_CLOSE.delivered"));
            case TEMP_CREATE -> new Frame.TempCreate(corr, requireTemporary(in, "TEMP_CREATE.destination"));
            case TEMP_DELETE -> new Frame.TempDelete(corr, requireTemporary(in, "TEMP_DELETE.destination"));
            case UNSUBSCRIBE -> new Frame.Unsubscribe(corr, requireString(in, "UNSUBSCRIBE.subscriptionName"));
            case BROWSE_END -> new Frame.BrowseEnd(readLong(in, "BROWSE_END.consumerId"));
            case CREDIT -> new Frame.Credit(readLong(in, "CREDIT.consumerId"), readInt(in, "CREDIT.credit"));
            case SEND -> new Frame.Send(corr, readInt(in, "SEND.sessionId"), requireBytes(in, "SEND.envelope"));
            case DELIVER -> new Frame.Deliver(readLong(in, "DELIVER.consumerId"), readLong(in, "DELIVER.deliveryId"),
                    readInt(in, "DELIVER.deliveryCount"), requireBytes(in, "DELIVER.envelope"));
            case ACK -> new Frame.Ack(corr, readInt(in, "ACK.sessionId"), AckKind.of(readUnsignedByte(in, "ACK.kind")),
                    readIds(in, "ACK.deliveryIds"));
            case TX_COMMIT -> new Frame.TxCommit(corr, readInt(in, "TX_COMMIT.sessionId"));
            case TX_ROLLBACK -> new Frame.TxRollback(corr, readInt(in, "TX_ROLLBACK.sessionId"));
            case XA_START -> new Frame.XaStart(corr, readInt(in, "XA_START.sessionId"), WireXid.read(in, "XA_START.xid"),
                    readInt(in, "XA_START.flags"), readTimeout(in, "XA_START.timeoutSeconds"));
            case XA_END -> new Frame.XaEnd(corr, readInt(in, "XA_END.sessionId"), WireXid.read(in, "XA_END.xid"),
                    readInt(in, "XA_END.flags"));
            case XA_PREPARE -> new Frame.XaPrepare(corr, WireXid.read(in, "XA_PREPARE.xid"));
            case XA_COMMIT -> new Frame.XaCommit(corr, WireXid.read(in, "XA_COMMIT.xid"),
                    readBoolean(in, "XA_COMMIT.onePhase"));
            case XA_ROLLBACK -> new Frame.XaRollback(corr, WireXid.read(in, "XA_ROLLBACK.xid"));
            case XA_RECOVER -> new Frame.XaRecover(corr);
            case XA_FORGET -> new Frame.XaForget(corr, WireXid.read(in, "XA_FORGET.xid"));
            case XA_RESULT -> new Frame.XaResult(corr, readInt(in, "XA_RESULT.code"), readString(in, "XA_RESULT.message"));
            case XA_RECOVER_OK -> new Frame.XaRecoverOk(corr, readXids(in, "XA_RECOVER_OK.xids"));
        };
    }

    /** An optional trailing field (absent in frames of earlier versions: 0, the broker's default). */
    private static int readTimeout(ByteBuf in, String field) {
        if (!in.isReadable()) {
            return 0;
        }
        int seconds = readInt(in, field);
        if (seconds <= 0) {
            throw new MalformedFrameException(field + ": " + seconds + " is not a positive number of seconds (leave"
                    + " the field off for the broker's default)");
        }
        return seconds;
    }

    private static boolean readBoolean(ByteBuf in, String field) {
        int b = readUnsignedByte(in, field);
        if (b > 1) {
            throw new MalformedFrameException(field + ": " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    private static java.util.List<WireXid> readXids(ByteBuf in, String field) {
        int count = readInt(in, field);
        // the smallest Xid takes 6 bytes
        if (count < 0 || (long) count * 6 > in.readableBytes()) {
            throw new MalformedFrameException(field + ": count " + count + " does not fit in " + in.readableBytes()
                    + " remaining bytes");
        }
        java.util.List<WireXid> xids = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            xids.add(WireXid.read(in, field + "[" + i + "]"));
        }
        return xids;
    }

    private static WireDestination requireDestination(ByteBuf in, String field) {
        WireDestination d = readDestination(in, field);
        if (d == null) {
            throw new MalformedFrameException(field + " is missing");
        }
        return d;
    }

    private static WireDestination requireTemporary(ByteBuf in, String field) {
        WireDestination d = requireDestination(in, field);
        if (!d.kind().isTemporary()) {
            throw new MalformedFrameException(field + " names " + d + ", which is not a temporary destination");
        }
        return d;
    }

    private static String requireString(ByteBuf in, String field) {
        String s = readString(in, field);
        if (s == null) {
            throw new MalformedFrameException(field + " is missing");
        }
        return s;
    }

    private static byte[] requireBytes(ByteBuf in, String field) {
        byte[] b = readBytes(in, field);
        if (b == null) {
            throw new MalformedFrameException(field + " is missing");
        }
        return b;
    }
}
