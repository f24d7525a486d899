package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broker that breaks the protocol or goes away: the application hears of it once through its ExceptionListener,
 * nothing blocked hangs, and every later call says the connection is gone.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BrokenPeerTest {
    private static final int MAX_FRAME_SIZE = 1024;

    /** Ways a broker can break, and what the failure the application sees must say. */
    enum Breakage {
        GARBAGE(peer -> peer.sendRaw(new byte[] {0, 0, 0, 5, (byte) 0xEE, 0, 0, 0, 0}), "unknown frame type 0xee"),
        OVERSIZED_FRAME(peer -> peer.sendRaw(new byte[] {0, 0, 0x13, (byte) 0x88, 0x21, 0, 0, 0, 0}),
                "frame length 5000 exceeds the maximum frame size " + MAX_FRAME_SIZE),
        FRAME_ONLY_CLIENTS_SEND(peer -> peer.send(new Frame.SessionOpen(9, 1, SessionMode.AUTO_ACKNOWLEDGE)),
                "SESSION_OPEN"),
        CONNECTION_ERROR(peer -> peer.send(new Frame.Error(0, ErrorCode.INTERNAL, "broker shutting down")),
                "broker shutting down"),
        DROPPED(TestPeer::dropConnection, "closed by the broker");

        final Consumer<TestPeer> act;
        final String reason;

        Breakage(Consumer<TestPeer> act, String reason) {
            this.act = act;
            this.reason = reason;
        }

        boolean isProtocolError() {
            return this == GARBAGE || this == OVERSIZED_FRAME || this == FRAME_ONLY_CLIENTS_SEND;
        }
    }

    private TestPeer peer;
    private Connection connection;
    private final CompletableFuture<JMSException> reported = new CompletableFuture<>();

    @BeforeEach
    void connect() throws JMSException {
        peer = new TestPeer().autoHandshake(MAX_FRAME_SIZE, 0)
                .autoOk(Frame.SessionOpen.class, Frame.ConsumerOpen.class);
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=0&requestTimeout=5000").createConnection();
        connection.setExceptionListener(reported::complete);
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
        peer.close();
    }

    @ParameterizedTest
    @EnumSource(Breakage.class)
    void theListenerHearsWhyBlockedCallsReturnAndLaterCallsAreIllegal(Breakage breakage) throws Exception {
        Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        MessageProducer producer = session.createProducer(session.createQueue("out"));
        connection.start();
        AtomicReference<Thread> receiver = new AtomicReference<>();
        CompletableFuture<Message> receiving = Background.call(() -> {
            receiver.set(Thread.currentThread());
            return consumer.receive();
        });
        CompletableFuture<Void> sending = Background.run(() -> producer.send(session.createTextMessage("x")));
        peer.expect(Frame.SessionOpen.class);
        peer.expect(Frame.ConsumerOpen.class);
        peer.expect(Frame.Send.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.get() != null
                && receiver.get().getState() == Thread.State.TIMED_WAITING);

        breakage.act.accept(peer);

        assertThat(reported.get(5, TimeUnit.SECONDS)).hasMessageContaining(breakage.reason)
                .hasMessageContaining(peer.uri());
        assertThat(receiving.get(5, TimeUnit.SECONDS)).isNull();
        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.send(session.createTextMessage("y")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::receive).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> connection.createSession(Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(breakage.reason);
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
    }

    @ParameterizedTest
    @EnumSource(value = Breakage.class, names = {"GARBAGE", "OVERSIZED_FRAME", "FRAME_ONLY_CLIENTS_SEND"})
    void aProtocolErrorIsReportedToTheBrokerBeforeTheClientHangsUp(Breakage breakage) throws Exception {
        breakage.act.accept(peer);

        Frame.Error error = peer.expect(Frame.Error.class);
        assertThat(error.correlationId()).isZero();
        assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL);
        assertThat(error.message()).contains(breakage.reason);
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
        assertThat(reported.get(5, TimeUnit.SECONDS)).hasMessageContaining("protocol error");
    }
}
