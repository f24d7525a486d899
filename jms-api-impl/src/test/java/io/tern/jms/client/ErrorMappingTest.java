package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An ERROR answer to a request becomes the JMS exception protocol.md names for its code, and fails only that
 * request: the connection and session stay usable.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ErrorMappingTest {
    private static final Map<ErrorCode, Class<? extends JMSException>> EXPECTED = Map.of(
            ErrorCode.SECURITY, JMSSecurityException.class,
            ErrorCode.INVALID_DESTINATION, InvalidDestinationException.class,
            ErrorCode.INVALID_CLIENT_ID, InvalidClientIDException.class,
            ErrorCode.INVALID_SELECTOR, InvalidSelectorException.class,
            ErrorCode.ILLEGAL_STATE, IllegalStateException.class,
            ErrorCode.RESOURCE_ALLOCATION, ResourceAllocationException.class,
            ErrorCode.TRANSACTION_ROLLED_BACK, TransactionRolledBackException.class);

    private TestPeer peer;
    private Connection connection;
    private Session session;

    @BeforeEach
    void connect() throws JMSException {
        peer = new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.SessionClose.class,
                Frame.Close.class);
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=0&requestTimeout=5000").createConnection();
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        peer.expect(Frame.SessionOpen.class);
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
        peer.close();
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void anErrorAnswerToConsumerOpenIsTheMappedException(ErrorCode code) throws Exception {
        CompletableFuture<MessageConsumer> opening = Background.call(
                () -> session.createConsumer(session.createQueue("orders"), "a > 1"));

        peer.answerError(peer.expect(Frame.ConsumerOpen.class), code, code + " for queue 'orders'");

        Throwable failure = failureOf(opening);
        assertThat(failure).isExactlyInstanceOf(EXPECTED.getOrDefault(code, JMSException.class))
                .hasMessageContaining(code + " for queue 'orders'");
        assertThat(((JMSException) failure).getErrorCode()).isEqualTo(code.name());
        session.createProducer(null);
        connection.createSession(Session.AUTO_ACKNOWLEDGE);
        peer.expect(Frame.SessionOpen.class);
    }

    @Test
    void anErrorAnswerToSendIsThrownBySend() throws Exception {
        CompletableFuture<Void> sending = Background.run(() -> session.createProducer(session.createQueue("nowhere"))
                .send(session.createTextMessage("x")));

        peer.answerError(peer.expect(Frame.Send.class), ErrorCode.INVALID_DESTINATION,
                "queue 'nowhere' does not exist");

        assertThat(failureOf(sending)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("queue 'nowhere' does not exist");
    }

    @Test
    void aFailedCommitIsATransactionRolledBackException() throws Exception {
        Session tx = connection.createSession(Session.SESSION_TRANSACTED);
        peer.expect(Frame.SessionOpen.class);
        CompletableFuture<Void> committing = Background.run(tx::commit);

        peer.answerError(peer.expect(Frame.TxCommit.class), ErrorCode.TRANSACTION_ROLLED_BACK,
                "disk full; rolled back");

        assertThat(failureOf(committing)).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("disk full; rolled back");
    }

    private static Throwable failureOf(CompletableFuture<?> call) throws Exception {
        try {
            call.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }
}
