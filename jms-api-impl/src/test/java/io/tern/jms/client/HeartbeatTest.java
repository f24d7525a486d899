package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.Frame;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Heartbeats at the interval the broker negotiated: sent when idle, and a silent broker is given up on. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HeartbeatTest {
    private TestPeer peer;
    private Connection connection;

    @BeforeEach
    void startPeer() {
        peer = new TestPeer().autoHandshake(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE, 100)
                .autoOk(Frame.SessionOpen.class, Frame.SessionClose.class, Frame.Close.class);
    }

    @AfterEach
    void stop() throws JMSException {
        if (connection != null) {
            connection.close();
        }
        peer.close();
    }

    @Test
    void anIdleClientSendsHeartbeatsAtTheNegotiatedInterval() throws JMSException {
        peer.echoHeartbeats();
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=10000").createConnection();
        CompletableFuture<JMSException> failure = new CompletableFuture<>();
        connection.setExceptionListener(failure::complete);

        assertThat(peer.hello().heartbeatMillis()).isEqualTo(10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> peer.heartbeatsReceived() >= 5);

        connection.createSession(Session.AUTO_ACKNOWLEDGE);
        peer.expect(Frame.SessionOpen.class);
        assertThat(failure).isNotDone();
    }

    @Test
    void aBrokerSilentForThreeIntervalsIsGivenUpOn() throws Exception {
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=10000").createConnection();
        CompletableFuture<JMSException> failure = new CompletableFuture<>();
        connection.setExceptionListener(failure::complete);

        JMSException lost = failure.get(5, TimeUnit.SECONDS);

        assertThat(lost).hasMessageContaining(peer.uri()).hasMessageContaining("three heartbeat intervals");
        assertThat(peer.heartbeatsReceived()).isPositive();
        assertThatThrownBy(() -> connection.createSession(Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(IllegalStateException.class);
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
    }
}
