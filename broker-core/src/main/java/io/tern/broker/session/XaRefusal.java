package io.tern.broker.session;

/** An XA request the broker refuses: {@link #code()} is the {@code XAException} error code the client receives. */
public final class XaRefusal extends Exception {
    private final int code;

    XaRefusal(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
