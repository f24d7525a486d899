package io.tern.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@link jakarta.jms.Message#acknowledge()} does for a received message. The session that delivers a message sets
 * one with {@link TernMessage#setAcknowledger(MessageAcknowledger)}; a message without one (created for sending)
 * ignores {@code acknowledge()}.
 */
@FunctionalInterface
public interface MessageAcknowledger {
    /**
     * Acknowledges every message the session has consumed (CLIENT_ACKNOWLEDGE), or does nothing in the other modes.
     *
     * @throws jakarta.jms.IllegalStateException when the session is closed
     */
    void acknowledge() throws JMSException;
}
