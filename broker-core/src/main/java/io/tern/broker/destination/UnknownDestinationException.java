package io.tern.broker.destination;

/** A destination that does not exist and that this broker will not create on demand. */
public final class UnknownDestinationException extends Exception {
    public UnknownDestinationException(String message) {
        super(message);
    }
}
