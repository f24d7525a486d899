package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.Session;
import javax.transaction.xa.XAException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the XA end-to-end tests share: checking an XA error code, and putting or taking a message outside XA. */
final class XaTesting {
    private XaTesting() {
    }

    /** {@code call} throws an XAException with exactly {@code code}. */
    static void expectXa(int code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).as(e.getMessage()).isEqualTo(code));
    }

    /** Sends a text message to {@code queue} on a connection of its own, auto-acknowledged, outside any branch. */
    static void put(ConnectionFactory factory, String queue, String text) throws Exception {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    /** Receives one message of {@code queue} on a connection of its own, or null after {@code millis}. */
    static Message receive(ConnectionFactory factory, String queue, long millis) throws Exception {
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            return s.createConsumer(s.createQueue(queue)).receive(millis);
        }
    }
}
