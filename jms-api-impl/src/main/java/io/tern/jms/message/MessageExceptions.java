package io.tern.jms.message;

import io.tern.jms.wire.MalformedFrameException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/** Builds the JMS exceptions of the message package, with their cause linked. */
final class MessageExceptions {
    private MessageExceptions() {
    }

    /** A malformed envelope or body: a JMSException naming the problem, caused by the wire exception. */
    static JMSException malformed(String what, MalformedFrameException e) {
        return link(new JMSException("cannot decode " + what + ": " + e.getMessage()), e);
    }

    static MessageFormatException format(String message, Exception cause) {
        return link(new MessageFormatException(message), cause);
    }

    static <E extends JMSException> E link(E jms, Exception cause) {
        jms.setLinkedException(cause);
        jms.initCause(cause);
        return jms;
    }
}
