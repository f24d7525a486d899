package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.jms.message.MessageCodec;
import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sends that do not wait for the broker: the asynchronous send window and CompletionListener callbacks. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AsyncSendTest {
    private TestPeer peer;
    private Connection connection;
    private Session session;
    private MessageProducer producer;

    @BeforeEach
    void connect() throws JMSException {
        peer = new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.SessionClose.class,
                Frame.Close.class);
        connection = new TernConnectionFactory(peer.uri() + "?heartbeat=0&asyncSend=true&producerWindow=2")
                .createConnection();
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        peer.expect(Frame.SessionOpen.class);
        producer = session.createProducer(session.createQueue("orders"));
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
        peer.close();
    }

    private static String text(Frame.Send send) throws JMSException {
        return ((TextMessage) MessageCodec.decode(send.envelope())).getText();
    }

    @Test
    void theThirdUnansweredNonPersistentSendWaitsForTheBrokerToAnswerOne() throws Exception {
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        Background.run(() -> {
            producer.send(session.createTextMessage("1"));
            producer.send(session.createTextMessage("2"));
        }).get(5, TimeUnit.SECONDS);
        Frame.Send first = peer.expect(Frame.Send.class);
        Frame.Send second = peer.expect(Frame.Send.class);
        assertThat(first.correlationId()).isNotZero();
        assertThat(second.correlationId()).isNotZero();

        CompletableFuture<Void> third = Background.run(() -> producer.send(session.createTextMessage("3")));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());
        peer.expectNothingMore();

        peer.answerOk(second);
        third.get(5, TimeUnit.SECONDS);
        assertThat(text(peer.expect(Frame.Send.class))).isEqualTo("3");
    }

    @Test
    void persistentSendsStayInStepWithTheBrokerEvenWithAsyncSend() throws Exception {
        CompletableFuture<Void> sent = Background.run(() -> producer.send(session.createTextMessage("p")));
        Frame.Send send = peer.expect(Frame.Send.class);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !sent.isDone());
        peer.answerOk(send);
        sent.get(5, TimeUnit.SECONDS);
    }

    /** Records callbacks with the thread they ran on. */
    private static final class Recorder implements CompletionListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onCompletion(Message message) {
            record(message, "ok");
        }

        @Override
        public void onException(Message message, Exception exception) {
            failures.add(exception);
            record(message, "failed");
        }

        private void record(Message message, String outcome) {
            threads.add(Thread.currentThread().getName());
            try {
                events.add(((TextMessage) message).getText() + " " + outcome);
            } catch (JMSException e) {
                events.add(e.toString());
            }
        }
    }

    @Test
    void completionCallbacksRunInSendOrderOffTheTransportThread() throws Exception {
        Recorder recorder = new Recorder();
        Background.run(() -> {
            for (int i = 1; i <= 3; i++) {
                producer.send(session.createTextMessage("m" + i), recorder);
            }
        });
        Frame.Send first = peer.expect(Frame.Send.class);
        Frame.Send second = peer.expect(Frame.Send.class);

        peer.answerOk(second);
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(recorder.events::isEmpty);
        peer.answerOk(first);
        peer.answerOk(peer.expect(Frame.Send.class));

        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 3);
        assertThat(recorder.events).containsExactly("m1 ok", "m2 ok", "m3 ok");
        assertThat(recorder.threads).noneMatch(t -> t.startsWith("tern-client-io") || t.startsWith("test-"));
    }

    @Test
    void anErrorAnswerReachesOnException() throws Exception {
        Recorder recorder = new Recorder();
        producer.send(session.createTextMessage("doomed"), recorder);

        peer.answerError(peer.expect(Frame.Send.class), ErrorCode.INVALID_DESTINATION, "queue 'orders' does not exist");

        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.size() == 1);
        assertThat(recorder.events).containsExactly("doomed failed");
        assertThat(recorder.failures.get(0)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("queue 'orders' does not exist");
    }
}
