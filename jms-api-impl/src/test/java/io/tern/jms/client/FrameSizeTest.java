package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.Frame;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The negotiated maximum frame size binds the client's sends too (protocol.md: both sides enforce it). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrameSizeTest {
    private static final int NEGOTIATED = 1024;

    private TestPeer peer;
    private Connection connection;

    @BeforeEach
    void connect() throws JMSException {
        peer = new TestPeer().autoHandshake(NEGOTIATED, 0)
                .autoOk(Frame.SessionOpen.class, Frame.SessionClose.class, Frame.Close.class);
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=0&maxFrameSize=4096").createConnection();
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
        peer.close();
    }

    @Test
    void aMessageTooLargeForTheNegotiatedFrameSizeIsRefusedAndTheConnectionStaysUsable() throws Exception {
        Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        peer.expect(Frame.SessionOpen.class);
        MessageProducer producer = session.createProducer(session.createQueue("orders"));

        assertThatThrownBy(() -> producer.send(session.createTextMessage("x".repeat(2000))))
                .isInstanceOf(ResourceAllocationException.class)
                .hasMessageContaining("queue://orders").hasMessageContaining(String.valueOf(NEGOTIATED));

        CompletableFuture<Void> small = Background.run(() -> producer.send(session.createTextMessage("small")));
        peer.answerOk(peer.expect(Frame.Send.class));
        small.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBrokerThatRaisesTheFrameSizeOrTheHeartbeatIsRefused() throws Exception {
        try (TestPeer raising = new TestPeer().autoHandshake(8192, 0)) {
            assertThatThrownBy(() -> new TernConnectionFactory(raising.uri() + "?heartbeat=0&maxFrameSize=4096")
                    .createConnection()).isInstanceOf(JMSException.class)
                    .hasMessageContaining("protocol error").hasMessageContaining("maximum frame size 8192");
        }
        try (TestPeer beating = new TestPeer().autoHandshake(4096, 1000)) {
            assertThatThrownBy(() -> new TernConnectionFactory(beating.uri() + "?heartbeat=0&maxFrameSize=4096")
                    .createConnection()).isInstanceOf(JMSException.class)
                    .hasMessageContaining("heartbeat interval 1000 ms");
        }
    }
}
