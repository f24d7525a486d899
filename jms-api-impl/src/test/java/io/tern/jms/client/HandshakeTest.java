package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import jakarta.jms.Connection;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake: what HELLO carries, and how each refusal reaches createConnection. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HandshakeTest {
    private TestPeer peer;

    @BeforeEach
    void startPeer() {
        peer = new TestPeer().autoOk(Frame.Close.class);
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    private CompletableFuture<Connection> connectInBackground(String query) {
        TernConnectionFactory factory = new TernConnectionFactory(peer.uri() + "?" + query);
        return Background.call(factory::createConnection);
    }

    private static Throwable failureOf(CompletableFuture<Connection> connecting) {
        try {
            connecting.get(10, TimeUnit.SECONDS).close();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("createConnection neither failed nor returned", e);
        }
        throw new AssertionError("createConnection succeeded");
    }

    @Test
    void helloCarriesTheVersionTheFactorysIdentityAndTheLimitsFromTheUri() throws Exception {
        TernConnectionFactory factory = new TernConnectionFactory(peer.uri()
                + "?maxFrameSize=2048&heartbeat=1500&clientId=from-uri");
        factory.setClientID("client-7");
        factory.setUser("alice");
        factory.setPassword("secret");
        CompletableFuture<Connection> connecting = Background.call(factory::createConnection);

        Frame.Hello hello = peer.expect(Frame.Hello.class);
        assertThat(hello.correlationId()).isNotZero();
        assertThat(hello.protocolVersion()).isEqualTo(FrameDescriptor.PROTOCOL_VERSION).isEqualTo(1);
        assertThat(hello.clientId()).isEqualTo("client-7");
        assertThat(hello.username()).isEqualTo("alice");
        assertThat(hello.password()).isEqualTo("secret");
        assertThat(hello.maxFrameSize()).isEqualTo(2048);
        assertThat(hello.heartbeatMillis()).isEqualTo(1500);
        peer.answerHello(hello, 2048, 0);

        Connection c = connecting.get(5, TimeUnit.SECONDS);
        assertThat(c.getClientID()).isEqualTo("client-7");
        c.close();
        peer.expect(Frame.Close.class);
    }

    @Test
    void explicitCredentialsAndTheUrisClientIdReachHello() throws Exception {
        TernConnectionFactory factory = new TernConnectionFactory(peer.uri()
                + "?heartbeat=0&clientId=from-uri&user=uri-user&password=uri-pass");
        CompletableFuture<Connection> connecting = Background.call(() -> factory.createConnection("bob", "pw"));

        Frame.Hello hello = peer.expect(Frame.Hello.class);
        assertThat(hello.clientId()).isEqualTo("from-uri");
        assertThat(hello.username()).isEqualTo("bob");
        assertThat(hello.password()).isEqualTo("pw");
        assertThat(hello.heartbeatMillis()).isZero();
        peer.answerHello(hello, FrameDescriptor.DEFAULT_MAX_FRAME_SIZE, 0);
        connecting.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void aSecurityRefusalIsAJmsSecurityException() {
        CompletableFuture<Connection> connecting = connectInBackground("heartbeat=0");

        peer.answerErrorAndClose(peer.expect(Frame.Hello.class), ErrorCode.SECURITY, "user 'alice' may not connect");

        assertThat(failureOf(connecting)).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'alice' may not connect");
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
    }

    @Test
    void aClientIdInUseIsAnInvalidClientIdException() {
        CompletableFuture<Connection> connecting = connectInBackground("heartbeat=0&clientId=taken");

        peer.answerErrorAndClose(peer.expect(Frame.Hello.class), ErrorCode.INVALID_CLIENT_ID,
                "client id 'taken' is in use");

        assertThat(failureOf(connecting)).isInstanceOf(InvalidClientIDException.class)
                .hasMessageContaining("client id 'taken' is in use");
    }

    @Test
    void anUnsupportedVersionIsAJmsExceptionWithTheBrokersMessage() {
        CompletableFuture<Connection> connecting = connectInBackground("heartbeat=0");

        peer.answerErrorAndClose(peer.expect(Frame.Hello.class), ErrorCode.UNSUPPORTED_VERSION,
                "the client speaks version 1, this broker speaks 2");

        assertThat(failureOf(connecting)).isExactlyInstanceOf(JMSException.class)
                .hasMessageContaining("the client speaks version 1, this broker speaks 2");
    }

    @Test
    void noAnswerWithinTheConnectTimeoutFailsNamingTheAddressAndTheTime() {
        CompletableFuture<Connection> connecting = connectInBackground("heartbeat=0&connectTimeout=300");
        peer.expect(Frame.Hello.class);

        assertThat(failureOf(connecting)).isInstanceOf(JMSException.class)
                .hasMessageContaining(peer.uri()).hasMessageContaining("300 ms");
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
    }

    @Test
    void noListenerAtTheAddressFailsNamingIt() {
        int port = peer.port();
        peer.close();
        TernConnectionFactory factory = new TernConnectionFactory("tcp://127.0.0.1:" + port + "?heartbeat=0");

        assertThatThrownBy(factory::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("tcp://127.0.0.1:" + port);
    }
}
