package io.tern.bench.driver;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/** The 1 KiB payload: the send time in the first eight bytes, then filler. */
final class Messages {
    private static final byte[] FILLER = new byte[Scenario.MESSAGE_SIZE - Long.BYTES];

    private Messages() {
    }

    static BytesMessage stamped(Session session) throws JMSException {
        return stamped(session, System.nanoTime());
    }

    /** A new 1 KiB message whose send time is {@code sentNanos} (from {@link System#nanoTime()}). */
    static BytesMessage stamped(Session session, long sentNanos) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeLong(sentNanos);
        message.writeBytes(FILLER);
        return message;
    }

    /** A new 1 KiB message carrying the request's stamp, so the requester measures the whole round trip. */
    static BytesMessage reply(Session session, Message request) throws JMSException {
        if (!(request instanceof BytesMessage bytes)) {
            throw new JMSException("expected a BytesMessage, got " + request.getClass().getName());
        }
        BytesMessage reply = session.createBytesMessage();
        reply.writeLong(bytes.readLong());
        reply.writeBytes(FILLER);
        return reply;
    }

    /** Nanoseconds since the message was stamped (sender and receiver share this JVM's clock). */
    static long age(Message message) throws JMSException {
        if (!(message instanceof BytesMessage bytes)) {
            throw new JMSException("expected a BytesMessage, got " + message.getClass().getName());
        }
        return System.nanoTime() - bytes.readLong();
    }
}
