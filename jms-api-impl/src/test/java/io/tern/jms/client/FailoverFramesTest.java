package io.tern.jms.client;

import static io.tern.jms.peer.TestPeer.textDelivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frames a failover connection sends when its broker goes: two scripted peers stand for two brokers; the first
 * drops the connection, the second must see the connection's state re-created in order, a lost send again, and no
 * acknowledgement meant for the first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailoverFramesTest {
    private TestPeer first;
    private TestPeer second;
    private Connection connection;

    @BeforeEach
    void startPeers() {
        first = peer();
        second = peer();
    }

    private static TestPeer peer() {
        return new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.ConsumerOpen.class,
                Frame.ConsumerClose.class, Frame.SessionClose.class, Frame.Close.class, Frame.TxRollback.class);
    }

    @AfterEach
    void stop() throws JMSException {
        if (connection != null) {
            connection.close();
        }
        first.close();
        second.close();
    }

    private Connection connect(String options) throws JMSException {
        connection = new TernConnectionFactory("failover:(" + first.uri() + "?heartbeat=0," + second.uri()
                + "?heartbeat=0)?initialReconnectDelay=1&requestTimeout=5000" + options).createConnection();
        return connection;
    }

    @Test
    void stateIsReplayedInOrderWithTheSameIdsAndClientId() throws Exception {
        Connection c = connect("&clientId=replayed");
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        Frame.SessionOpen session = first.expect(Frame.SessionOpen.class);
        c.createSession(Session.SESSION_TRANSACTED);
        Frame.SessionOpen txSession = first.expect(Frame.SessionOpen.class);
        s.createDurableConsumer(s.createTopic("news"), "sub", "kind = 'x'", true);
        Frame.ConsumerOpen durable = first.expect(Frame.ConsumerOpen.class);

        first.dropConnection();

        assertThat(second.hello().clientId()).isEqualTo("replayed");
        Frame.SessionOpen session2 = second.expect(Frame.SessionOpen.class);
        assertThat(session2.sessionId()).isEqualTo(session.sessionId());
        assertThat(session2.mode()).isEqualTo(SessionMode.CLIENT_ACKNOWLEDGE);
        Frame.SessionOpen tx2 = second.expect(Frame.SessionOpen.class);
        assertThat(tx2.sessionId()).isEqualTo(txSession.sessionId());
        assertThat(tx2.mode()).isEqualTo(SessionMode.TRANSACTED);
        Frame.ConsumerOpen durable2 = second.expect(Frame.ConsumerOpen.class);
        assertThat(durable2.consumerId()).isEqualTo(durable.consumerId());
        assertThat(durable2.sessionId()).isEqualTo(durable.sessionId());
        assertThat(durable2.destination()).isEqualTo(durable.destination());
        assertThat(durable2.selector()).isEqualTo("kind = 'x'");
        assertThat(durable2.flags()).isEqualTo(durable.flags());
        assertThat(durable2.subscriptionName()).isEqualTo("sub");
        assertThat(durable2.prefetch()).isEqualTo(durable.prefetch());
    }

    /** A CLIENT_ACKNOWLEDGE consumer on the first broker, and the message "m" it received as delivery 5. */
    private record Received(Session session, MessageConsumer consumer, Message message) {
    }

    private Received receivedFromTheFirst() throws Exception {
        Connection c = connect("");
        c.start();
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        first.expect(Frame.SessionOpen.class);
        MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
        Frame.ConsumerOpen open = first.expect(Frame.ConsumerOpen.class);
        first.send(textDelivery(open.consumerId(), 5, 1, "m"));
        Message m = consumer.receive(5000);
        assertThat(((TextMessage) m).getText()).isEqualTo("m");
        return new Received(s, consumer, m);
    }

    @Test
    void anAcknowledgementOfTheLostConnectionIsNotSentAndTheSameIdOfTheNewOneIs() throws Exception {
        Received r = receivedFromTheFirst();
        MessageConsumer consumer = r.consumer();
        Message old = r.message();

        first.dropConnection();
        second.expect(Frame.SessionOpen.class);
        Frame.ConsumerOpen reopened = second.expect(Frame.ConsumerOpen.class);
        old.acknowledge(); // for the first broker's delivery 5: dropped, the message comes again

        // the second broker happens to number its delivery 5 as well
        second.send(textDelivery(reopened.consumerId(), 5, 2, "m"));
        Message again = consumer.receive(5000);
        assertThat(again.getJMSRedelivered()).isTrue();
        CompletableFuture<Void> acking = Background.run(again::acknowledge);
        Frame.Ack ack = second.expect(Frame.Ack.class);
        assertThat(ack.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(ack.deliveryIds()).containsExactly(5L);
        second.answerOk(ack);
        acking.get(5, TimeUnit.SECONDS);
        second.expectNothingMore();
    }

    @Test
    void aRecoverAfterFailoverReachesTheNewBrokerEvenWhenWhatItSawWasAllOfTheLostConnection() throws Exception {
        Session s = receivedFromTheFirst().session();

        first.dropConnection();
        second.expect(Frame.SessionOpen.class);
        Frame.ConsumerOpen reopened = second.expect(Frame.ConsumerOpen.class);
        second.send(textDelivery(reopened.consumerId(), 1, 2, "m"));

        // the new broker must take back (and pause) what it delivered, since the client drops what it holds
        CompletableFuture<Void> recovered = Background.run(s::recover);
        Frame.Ack returnAll = second.expect(Frame.Ack.class);
        assertThat(returnAll.kind()).isEqualTo(AckKind.RETURN_ALL);
        assertThat(returnAll.deliveryIds()).as("delivery 5 was the lost connection's").isEmpty();
        second.answerOk(returnAll);
        recovered.get(5, TimeUnit.SECONDS);
        assertThat(second.expect(Frame.Credit.class).consumerId()).isEqualTo(reopened.consumerId());
    }

    @Test
    void aSendWhoseAnswerWasLostIsWrittenAgainWithTheSameBytes() throws Exception {
        Connection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        first.expect(Frame.SessionOpen.class);
        MessageProducer p = s.createProducer(s.createQueue("q"));
        CompletableFuture<Void> sending = Background.run(() -> p.send(s.createTextMessage("once")));
        Frame.Send sent = first.expect(Frame.Send.class);

        first.dropConnection();
        second.expect(Frame.SessionOpen.class);
        Frame.Send again = second.expect(Frame.Send.class);
        assertThat(again.envelope()).isEqualTo(sent.envelope());
        assertThat(sending).isNotDone();
        second.answerOk(again);
        sending.get(5, TimeUnit.SECONDS);
    }

    @Test
    void anAsynchronousSendWhoseAnswerWasLostCompletesOnceAfterItIsWrittenAgain() throws Exception {
        Connection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        first.expect(Frame.SessionOpen.class);
        MessageProducer p = s.createProducer(s.createQueue("q"));
        java.util.List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        p.send(s.createTextMessage("async"), new jakarta.jms.CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                outcomes.add("completed");
            }

            @Override
            public void onException(Message message, Exception exception) {
                outcomes.add("failed: " + exception);
            }
        });
        Frame.Send sent = first.expect(Frame.Send.class);

        first.dropConnection();
        second.expect(Frame.SessionOpen.class);
        Frame.Send again = second.expect(Frame.Send.class);
        assertThat(again.envelope()).isEqualTo(sent.envelope());
        assertThat(outcomes).isEmpty();
        second.answerOk(again);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        s.close(); // waits for every completion callback
        second.expect(Frame.SessionClose.class);
        assertThat(outcomes).containsExactly("completed");
    }

    @Test
    void aTransactionThatSentOnTheLostConnectionRollsBackOnTheNewOneAndFailsItsCommit() throws Exception {
        Connection c = connect("");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        first.expect(Frame.SessionOpen.class);
        MessageProducer p = s.createProducer(s.createQueue("q"));
        p.send(s.createTextMessage("lost"));
        first.answerOk(first.expect(Frame.Send.class));

        first.dropConnection();
        second.expect(Frame.SessionOpen.class);
        CompletableFuture<Void> committing = Background.run(s::commit);
        Frame.TxRollback rollback = second.expect(Frame.TxRollback.class); // in place of the commit
        assertThat(rollback.sessionId()).isEqualTo(((TernSession) s).id());
        assertThatThrownBy(() -> committing.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TransactionRolledBackException.class);

        // the retry is a fresh transaction that commits normally
        p.send(s.createTextMessage("retried"));
        second.answerOk(second.expect(Frame.Send.class));
        CompletableFuture<Void> retry = Background.run(s::commit);
        second.answerOk(second.expect(Frame.TxCommit.class));
        retry.get(5, TimeUnit.SECONDS);
    }
}
