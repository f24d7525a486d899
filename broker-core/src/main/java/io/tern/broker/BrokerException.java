package io.tern.broker;

/** The broker could not do what it was asked: start, bind a port, open its store. The message says why. */
public final class BrokerException extends RuntimeException {
    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
