package io.tern.broker.session;

import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.util.Arrays;

/**
 * A prepared branch an operator completed by hand (a heuristic decision): the broker reports it to the transaction
 * manager (XA_RECOVER lists it; XA_COMMIT and XA_ROLLBACK answer XA_HEURCOM or XA_HEURRB) until XA_FORGET.
 *
 * <p>The store keeps the decision, so that it survives a restart, as an empty prepared batch under a reserved
 * identity ({@link #storeIdentity}): {@code 0xFF 'H' outcome(u8: 1 committed, 0 rolled back) xid} where {@code xid}
 * is the branch's own identity ({@link WireXid#toBytes()}, at most 137 bytes, so at most 140 in all). No XA branch has
 * such an identity: the broker refuses Xids whose format id begins with those two bytes (see
 * {@link #isReserved(WireXid)}). The marker is written before the branch is completed, so a crash in between leaves
 * both, and the broker finishes the decision when it starts.
 *
 * @param xid             the branch
 * @param committed       true when committed by hand, false when rolled back
 * @param decidedMillis   when the operator decided; -1 when before the broker's last start
 * @param ownerConnection the connection that started the branch, or {@code (recovered)}
 * @param messages        what it held, as {@link Transaction#describeMessages()} says; after a restart unknown
 */
record Heuristic(WireXid xid, boolean committed, long decidedMillis, String ownerConnection, String messages) {
    private static final byte MARKER_0 = (byte) 0xFF;
    private static final byte MARKER_1 = 'H';

    /** The XAException code the transaction manager gets for it. */
    int code() {
        return committed ? XaCode.XA_HEURCOM : XaCode.XA_HEURRB;
    }

    String outcome() {
        return committed ? "heuristically committed" : "heuristically rolled back";
    }

    XaOutcome answer() {
        return new XaOutcome(code(), "branch " + xid + " was " + outcome() + " by an operator; XA_FORGET it once"
                + " the transaction manager has noted it");
    }

    /** The identity of this decision's record in the store. */
    byte[] storeIdentity() {
        return storeIdentity(xid, committed);
    }

    static byte[] storeIdentity(WireXid xid, boolean committed) {
        byte[] branch = xid.toBytes();
        byte[] id = new byte[branch.length + 3];
        id[0] = MARKER_0;
        id[1] = MARKER_1;
        id[2] = (byte) (committed ? 1 : 0);
        System.arraycopy(branch, 0, id, 3, branch.length);
        return id;
    }

    /**
     * The decision a prepared batch of the store records, or null when {@code identity} is a branch's own.
     *
     * @throws MalformedFrameException when it is marked as a decision but does not hold an Xid
     */
    static Heuristic fromStore(byte[] identity) {
        if (identity.length < 3 || identity[0] != MARKER_0 || identity[1] != MARKER_1) {
            return null;
        }
        WireXid xid = WireXid.fromBytes(Arrays.copyOfRange(identity, 3, identity.length));
        return new Heuristic(xid, identity[2] == 1, -1, "(recovered)", "(held before the broker restarted)");
    }

    /** True for an Xid whose store identity would read as a decision's: its format id starts 0xFF48. */
    static boolean isReserved(WireXid xid) {
        return (xid.formatId() >>> 16) == ((MARKER_0 & 0xFF) << 8 | MARKER_1);
    }
}
