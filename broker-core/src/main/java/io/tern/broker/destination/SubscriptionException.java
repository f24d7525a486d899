package io.tern.broker.destination;

import io.tern.jms.wire.ErrorCode;

/** A subscription request or an unsubscribe the broker refuses; the message names the subscription and client id. */
public final class SubscriptionException extends Exception {
    private final ErrorCode code;

    SubscriptionException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The ERROR code the client sees (ILLEGAL_STATE, INVALID_DESTINATION...). */
    public ErrorCode code() {
        return code;
    }
}
