package io.tern.broker.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One prepared XA transaction branch as a store keeps it: its identity and the work it will apply on commit.
 *
 * @param xid   the branch's identity, opaque to the store (the broker encodes the Xid)
 * @param batch the adds and removes the branch applies when committed
 */
public record PreparedBatch(byte[] xid, StoreBatch batch) {
    public PreparedBatch {
        Objects.requireNonNull(batch, "batch");
        xid = xid.clone();
        if (xid.length == 0 || xid.length > Store.MAX_XID_LENGTH) {
            throw new IllegalArgumentException("a transaction branch identity has 1 to " + Store.MAX_XID_LENGTH
                    + " bytes, not " + xid.length);
        }
    }

    @Override
    public byte[] xid() {
        return xid.clone();
    }

    /** True when this branch's identity is {@code other}. */
    public boolean is(byte[] other) {
        return Arrays.equals(xid, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreparedBatch p && Arrays.equals(xid, p.xid) && batch.equals(p.batch);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xid) * 31 + batch.hashCode();
    }

    @Override
    public String toString() {
        return "PreparedBatch[xid=" + java.util.HexFormat.of().formatHex(xid) + ", " + batch.adds().size()
                + " adds, " + batch.removes().size() + " removes]";
    }
}
