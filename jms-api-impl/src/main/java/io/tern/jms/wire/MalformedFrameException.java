package io.tern.jms.wire;

/**
 * A frame or message envelope whose bytes do not follow the layout in {@code docs/protocol.md}.
 * The message names the field and the offending value; the connection that sent it is closed.
 */
public final class MalformedFrameException extends RuntimeException {
    public MalformedFrameException(String message) {
        super(message);
    }
}
