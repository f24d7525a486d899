package io.tern.broker.session;

/**
 * A send or acknowledgement of a session whose XA branch the broker has rolled back because its timeout passed: the
 * session stays associated with the dead branch until XA_END, which answers XA_RBTIMEOUT.
 */
public final class BranchTimedOutException extends Exception {
    BranchTimedOutException(String message) {
        super(message, null, false, false);
    }
}
