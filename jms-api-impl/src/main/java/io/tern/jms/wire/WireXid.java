package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * An XA transaction branch identity as it travels on the wire and as the broker hands it to its store.
 *
 * <pre>
 * xid := i32 formatId | u8 gtridLength (0..64) | gtrid bytes | u8 bqualLength (0..64) | bqual bytes
 * </pre>
 * At most {@link #MAX_ENCODED_LENGTH} bytes, which fits a store's limit on branch identities.
 *
 * @param formatId            the transaction manager's format id
 * @param globalTransactionId the global transaction id, at most {@link #MAX_PART_LENGTH} bytes
 * @param branchQualifier     the branch qualifier, at most {@link #MAX_PART_LENGTH} bytes
 */
public record WireXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) implements Xid {
    /** The longest gtrid or bqual, as the XA specification sets it. */
    public static final int MAX_PART_LENGTH = 64;
    /** The longest encoded Xid. */
    public static final int MAX_ENCODED_LENGTH = 4 + 1 + MAX_PART_LENGTH + 1 + MAX_PART_LENGTH;

    public WireXid {
        globalTransactionId = checked(globalTransactionId, "gtrid");
        branchQualifier = checked(branchQualifier, "bqual");
    }

    private static byte[] checked(byte[] part, String name) {
        if (part == null) {
            throw new IllegalArgumentException("an Xid's " + name + " is null");
        }
        if (part.length > MAX_PART_LENGTH) {
            throw new IllegalArgumentException("an Xid's " + name + " has " + part.length + " bytes, more than "
                    + MAX_PART_LENGTH);
        }
        return part.clone();
    }

    /** The wire form of any {@link Xid}; a part longer than 64 bytes is an {@link IllegalArgumentException}. */
    public static WireXid of(Xid xid) {
        return xid instanceof WireXid w ? w
                : new WireXid(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public byte[] globalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] branchQualifier() {
        return branchQualifier.clone();
    }

    /** Writes this Xid in its wire form. */
    public void write(ByteBuf out) {
        out.writeInt(formatId);
        out.writeByte(globalTransactionId.length);
        out.writeBytes(globalTransactionId);
        out.writeByte(branchQualifier.length);
        out.writeBytes(branchQualifier);
    }

    /** Reads an Xid; a cut-short field or a part longer than 64 bytes is a {@link MalformedFrameException}. */
    public static WireXid read(ByteBuf in, String field) {
        int formatId = WireFields.readInt(in, field + ".formatId");
        byte[] gtrid = readPart(in, field + ".gtrid");
        byte[] bqual = readPart(in, field + ".bqual");
        return new WireXid(formatId, gtrid, bqual);
    }

    private static byte[] readPart(ByteBuf in, String field) {
        int length = WireFields.readUnsignedByte(in, field);
        if (length > MAX_PART_LENGTH) {
            throw new MalformedFrameException(field + ": length " + length + " exceeds " + MAX_PART_LENGTH);
        }
        if (length > in.readableBytes()) {
            throw new MalformedFrameException(field + ": length " + length + " but only " + in.readableBytes()
                    + " bytes remain");
        }
        byte[] b = new byte[length];
        in.readBytes(b);
        return b;
    }

    /** The wire form as bytes: the opaque branch identity the broker gives its store. */
    public byte[] toBytes() {
        ByteBuf buf = Unpooled.buffer(MAX_ENCODED_LENGTH);
        write(buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    /** Reads {@link #toBytes()} back; anything else (or trailing bytes) is a {@link MalformedFrameException}. */
    public static WireXid fromBytes(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        WireXid xid = read(buf, "xid");
        if (buf.isReadable()) {
            throw new MalformedFrameException("xid has " + buf.readableBytes() + " unexpected trailing bytes");
        }
        return xid;
    }

    /**
     * Reads {@link #toString()} back: {@code formatId:gtrid:bqual}, the format id in decimal, gtrid and bqual in hex
     * (either may be empty). Anything else is an {@link IllegalArgumentException} that quotes it.
     */
    public static WireXid parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not an xid: write formatId:gtrid:bqual, the format"
                    + " id in decimal, gtrid and bqual in hex");
        }
        try {
            HexFormat hex = HexFormat.of();
            return new WireXid(Integer.parseInt(parts[0]), hex.parseHex(parts[1]), hex.parseHex(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an xid (formatId:gtrid:bqual, the format id in"
                    + " decimal, gtrid and bqual in hex): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireXid x && x.formatId == formatId
                && Arrays.equals(x.globalTransactionId, globalTransactionId)
                && Arrays.equals(x.branchQualifier, branchQualifier);
    }

    @Override
    public int hashCode() {
        return (formatId * 31 + Arrays.hashCode(globalTransactionId)) * 31 + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return formatId + ":" + hex.formatHex(globalTransactionId) + ":" + hex.formatHex(branchQualifier);
    }
}
