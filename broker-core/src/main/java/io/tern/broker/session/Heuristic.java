package io.tern.broker.session;

import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;

/**
 * A prepared branch an operator completed by hand (a heuristic decision): the broker reports it to the transaction
 * manager (XA_RECOVER lists it; XA_COMMIT and XA_ROLLBACK answer XA_HEURCOM or XA_HEURRB) until XA_FORGET.
 *
 * @param xid             the branch
 * @param committed       true when committed by hand, false when rolled back
 * @param decidedMillis   when the operator decided
 * @param ownerConnection the connection that started the branch, or {@code (recovered)}
 * @param messages        what it held, as {@link Transaction#describeMessages()} says
 */
record Heuristic(WireXid xid, boolean committed, long decidedMillis, String ownerConnection, String messages) {

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
}
