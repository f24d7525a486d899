package io.tern.jms.wire;

/**
 * The error codes an {@link Frame.Error} frame carries. Each maps to one JMS exception type on the client.
 */
public enum ErrorCode {
    /** The peer broke the protocol: malformed, oversized or unexpected frame. */
    PROTOCOL(1),
    /** The protocol version offered in HELLO is not spoken by this broker. */
    UNSUPPORTED_VERSION(2),
    /** Bad credentials or a forbidden operation: {@code JMSSecurityException}. */
    SECURITY(3),
    /** The destination does not exist and may not be created: {@code InvalidDestinationException}. */
    INVALID_DESTINATION(4),
    /** The client id is in use or malformed: {@code InvalidClientIDException}. */
    INVALID_CLIENT_ID(5),
    /** A selector that does not parse: {@code InvalidSelectorException}. */
    INVALID_SELECTOR(6),
    /** The operation is not allowed in the current state: {@code IllegalStateException}. */
    ILLEGAL_STATE(7),
    /** A limit was reached (memory, connections, frame size): {@code ResourceAllocationException}. */
    RESOURCE_ALLOCATION(8),
    /** A commit failed and the transaction was rolled back: {@code TransactionRolledBackException}. */
    TRANSACTION_ROLLED_BACK(9),
    /** A fault inside the broker; the message says which. */
    INTERNAL(10);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
