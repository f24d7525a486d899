package io.tern.jms.client;

import static io.tern.jms.peer.TestPeer.textDelivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.PropertyNames;
import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.DestinationKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the client puts on the wire for sessions, consumers and producers, and how it takes deliveries, checked
 * frame by frame against a scripted peer. Opens and closes are answered automatically; the tests answer the
 * frames whose timing they check.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientFramesTest {
    private static final String QUERY = "heartbeat=0&requestTimeout=5000&prefetch=4";

    private TestPeer peer;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startPeer() {
        peer = new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.ConsumerOpen.class,
                Frame.ConsumerClose.class, Frame.SessionClose.class, Frame.Close.class);
    }

    @AfterEach
    void stopPeer() throws JMSException {
        for (Connection c : connections) {
            c.close();
        }
        peer.close();
    }

    private Connection connect(String query) throws JMSException {
        Connection c = new TernConnectionFactory(peer.uri() + "?" + query).createConnection();
        connections.add(c);
        return c;
    }

    private Session session(Connection c, int mode) throws JMSException {
        Session s = c.createSession(mode);
        peer.expect(Frame.SessionOpen.class);
        return s;
    }

    private Frame.ConsumerOpen consumer(Session s) throws JMSException {
        s.createConsumer(s.createQueue("orders"));
        return peer.expect(Frame.ConsumerOpen.class);
    }

    /**
     * Returns once the client has read everything the peer sent before: the answer to a request comes after the
     * peer's earlier frames on the same socket, and the client reads them in order.
     */
    private void roundTrip(Connection c) throws JMSException {
        session(c, Session.AUTO_ACKNOWLEDGE);
    }

    @Test
    void createSessionSendsSessionOpenWithTheWireModeAndANewId() throws JMSException {
        Connection c = connect(QUERY);

        c.createSession(Session.SESSION_TRANSACTED);
        c.createSession(Session.AUTO_ACKNOWLEDGE);
        c.createSession(Session.CLIENT_ACKNOWLEDGE);
        c.createSession(Session.DUPS_OK_ACKNOWLEDGE);

        List<Frame.SessionOpen> opens = List.of(peer.expect(Frame.SessionOpen.class),
                peer.expect(Frame.SessionOpen.class), peer.expect(Frame.SessionOpen.class),
                peer.expect(Frame.SessionOpen.class));
        assertThat(opens).extracting(Frame.SessionOpen::mode).containsExactly(SessionMode.TRANSACTED,
                SessionMode.AUTO_ACKNOWLEDGE, SessionMode.CLIENT_ACKNOWLEDGE, SessionMode.DUPS_OK_ACKNOWLEDGE);
        assertThat(opens).extracting(Frame.SessionOpen::sessionId).doesNotHaveDuplicates();
        assertThat(opens).allSatisfy(o -> assertThat(o.correlationId()).isNotZero());
    }

    @Test
    void createConsumerSendsConsumerOpenWithPrefetchFromTheUriAndTheNoLocalFlag() throws JMSException {
        Connection c = connect(QUERY);
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Frame.SessionOpen open = peer.expect(Frame.SessionOpen.class);

        s.createConsumer(s.createTopic("news"), "kind = 'x'", true);
        Frame.ConsumerOpen consumerOpen = peer.expect(Frame.ConsumerOpen.class);
        s.createConsumer(s.createQueue("orders"));
        Frame.ConsumerOpen plain = peer.expect(Frame.ConsumerOpen.class);

        assertThat(consumerOpen.sessionId()).isEqualTo(open.sessionId());
        assertThat(consumerOpen.destination()).isEqualTo(new WireDestination(DestinationKind.TOPIC, "news"));
        assertThat(consumerOpen.selector()).isEqualTo("kind = 'x'");
        assertThat(consumerOpen.flags()).isEqualTo(Frame.ConsumerOpen.NO_LOCAL);
        assertThat(consumerOpen.subscriptionName()).isNull();
        assertThat(consumerOpen.prefetch()).isEqualTo(4);
        assertThat(plain.flags()).isZero();
        assertThat(plain.selector()).isNull();
        assertThat(plain.consumerId()).isNotEqualTo(consumerOpen.consumerId());
    }

    @Test
    void aBadSelectorIsRefusedBeforeAnyFrameIsSentAndAGoodOneIsKeptByTheConsumer() throws JMSException {
        Connection c = connect(QUERY);
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);

        assertThatThrownBy(() -> s.createConsumer(s.createQueue("orders"), "color = "))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("position 9");
        assertThatThrownBy(() -> s.createConsumer(s.createQueue("orders"), "weight > 'heavy'", false))
                .isInstanceOf(InvalidSelectorException.class);
        roundTrip(c);
        peer.expectNothingMore();

        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"), "color = 'red' AND weight > 2");
        assertThat(peer.expect(Frame.ConsumerOpen.class).selector()).isEqualTo("color = 'red' AND weight > 2");
        assertThat(consumer.getMessageSelector()).isEqualTo("color = 'red' AND weight > 2");
        MessageConsumer none = s.createConsumer(s.createQueue("orders"), "  ");
        assertThat(peer.expect(Frame.ConsumerOpen.class).selector()).isNull();
        assertThat(none.getMessageSelector()).isNull();
    }

    @Test
    void aPersistentSendWaitsForTheBrokersOk() throws Exception {
        Connection c = connect(QUERY);
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));

        CompletableFuture<Void> sent = Background.run(() -> producer.send(s.createTextMessage("hello")));
        Frame.Send send = peer.expect(Frame.Send.class);

        assertThat(send.correlationId()).isNotZero();
        TextMessage onWire = (TextMessage) MessageCodec.decode(send.envelope());
        assertThat(onWire.getText()).isEqualTo("hello");
        assertThat(onWire.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !sent.isDone());

        peer.answerOk(send);
        sent.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSendWithoutAnAnswerFailsAfterTheSendTimeout() throws JMSException {
        Connection c = connect(QUERY + "&sendTimeout=200");
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("orders"));

        assertThatThrownBy(() -> producer.send(s.createTextMessage("lost")))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("queue://orders").hasMessageContaining("200 ms");
        peer.expect(Frame.Send.class);
    }

    @Test
    void aDeliveryReachesReceiveWithItsDeliveryCountAndIsAcknowledgedInAutoMode() throws JMSException {
        Connection c = connect(QUERY);
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();

        peer.send(textDelivery(consumerId, 7, 3, "again"));
        Message m = consumer.receive(5000);

        assertThat(((TextMessage) m).getText()).isEqualTo("again");
        assertThat(m.getIntProperty(PropertyNames.DELIVERY_COUNT)).isEqualTo(3);
        assertThat(m.getJMSRedelivered()).isTrue();
        Frame.Ack ack = peer.expect(Frame.Ack.class);
        assertThat(ack.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(ack.deliveryIds()).containsExactly(7);

        peer.send(textDelivery(consumerId, 8, 1, "first"));
        Message first = consumer.receive(5000);
        assertThat(first.getIntProperty(PropertyNames.DELIVERY_COUNT)).isEqualTo(1);
        assertThat(first.getJMSRedelivered()).isFalse();
    }

    @Test
    void consumingHalfThePrefetchGrantsThatMuchCredit() throws JMSException {
        Connection c = connect(QUERY);
        Session s = session(c, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        for (int i = 1; i <= 4; i++) {
            peer.send(textDelivery(consumerId, i, 1, "m" + i));
        }

        assertThat(consumer.receive(5000)).isNotNull();
        assertThat(consumer.receive(5000)).isNotNull();

        assertThat(peer.expect(Frame.Credit.class)).isEqualTo(new Frame.Credit(consumerId, 2));
        roundTrip(c);
        peer.expectNothingMore();
    }

    @Test
    void acknowledgeInClientModeSendsOneAckWithEveryIdAndWaitsForTheBroker() throws Exception {
        Connection c = connect(QUERY + "&prefetch=10");
        Session s = session(c, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        for (int i = 1; i <= 3; i++) {
            peer.send(textDelivery(consumerId, i, 1, "m" + i));
        }
        consumer.receive(5000);
        consumer.receive(5000);
        Message third = consumer.receive(5000);

        CompletableFuture<Void> acked = Background.run(third::acknowledge);
        Frame.Ack ack = peer.expect(Frame.Ack.class);

        assertThat(ack.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(ack.deliveryIds()).containsExactly(1, 2, 3);
        assertThat(ack.correlationId()).isNotZero();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !acked.isDone());
        peer.answerOk(ack);
        acked.get(5, TimeUnit.SECONDS);
    }

    @Test
    void recoverReturnsEverythingAndDropsWhatArrivesBeforeTheAnswer() throws Exception {
        Connection c = connect(QUERY);
        Session s = session(c, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        for (int i = 1; i <= 3; i++) {
            peer.send(textDelivery(consumerId, i, 1, "m" + i));
        }
        roundTrip(c);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("m1");

        CompletableFuture<Void> recovered = Background.run(s::recover);

        // one request: the seen delivery counted, the broker takes back every other one of the session itself
        Frame.Ack returnAll = peer.expect(Frame.Ack.class);
        assertThat(returnAll.kind()).isEqualTo(AckKind.RETURN_ALL);
        assertThat(returnAll.deliveryIds()).containsExactly(1);
        // a delivery still on the wire when recover began arrives before the answer: it is one the broker took back
        peer.send(textDelivery(consumerId, 4, 1, "m4"));
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !recovered.isDone());
        peer.answerOk(returnAll);
        recovered.get(5, TimeUnit.SECONDS);
        // the broker paused the consumer: it grants its whole prefetch again
        assertThat(peer.expect(Frame.Credit.class)).isEqualTo(new Frame.Credit(consumerId, 4));
        // what was buffered (m2, m3) and what came before the answer (m4) is gone; the messages come again in order
        for (int i = 1; i <= 4; i++) {
            peer.send(textDelivery(consumerId, 4 + i, i == 1 ? 2 : 1, "m" + i));
        }
        for (int i = 1; i <= 4; i++) {
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertThat(m.getText()).isEqualTo("m" + i);
            assertThat(m.getJMSRedelivered()).isEqualTo(i == 1);
        }
    }

    @Test
    void commitAcknowledgesTheConsumedMessagesThenCommits() throws Exception {
        Connection c = connect(QUERY);
        Session s = session(c, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        Frame.ConsumerOpen open = peer.expect(Frame.ConsumerOpen.class);
        c.start();
        peer.send(textDelivery(open.consumerId(), 11, 1, "a"));
        peer.send(textDelivery(open.consumerId(), 12, 1, "b"));
        consumer.receive(5000);
        consumer.receive(5000);
        peer.expect(Frame.Credit.class);

        CompletableFuture<Void> committed = Background.run(s::commit);

        Frame.Ack ack = peer.expect(Frame.Ack.class);
        assertThat(ack.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(ack.sessionId()).isEqualTo(open.sessionId());
        assertThat(ack.deliveryIds()).containsExactly(11, 12);
        Frame.TxCommit commit = peer.expect(Frame.TxCommit.class);
        assertThat(commit.sessionId()).isEqualTo(open.sessionId());
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !committed.isDone());
        peer.answerOk(commit);
        committed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void rollbackReturnsTheConsumedMessagesThenRollsBack() throws Exception {
        Connection c = connect(QUERY);
        Session s = session(c, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        Frame.ConsumerOpen open = peer.expect(Frame.ConsumerOpen.class);
        c.start();
        peer.send(textDelivery(open.consumerId(), 21, 1, "a"));
        consumer.receive(5000);

        CompletableFuture<Void> rolledBack = Background.run(s::rollback);

        Frame.Ack returnAll = peer.expect(Frame.Ack.class);
        assertThat(returnAll.kind()).isEqualTo(AckKind.RETURN_ALL);
        assertThat(returnAll.deliveryIds()).containsExactly(21);
        peer.answerOk(returnAll);
        assertThat(peer.expect(Frame.Credit.class)).isEqualTo(new Frame.Credit(open.consumerId(), 4));
        Frame.TxRollback rollback = peer.expect(Frame.TxRollback.class);
        assertThat(rollback.sessionId()).isEqualTo(open.sessionId());
        peer.answerOk(rollback);
        rolledBack.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closingAConsumerListsTheUnsettledDeliveriesItGaveTheApplication() throws JMSException {
        Connection c = connect(QUERY);
        Session s = session(c, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        for (int i = 1; i <= 3; i++) {
            peer.send(textDelivery(consumerId, i, 1, "m" + i));
        }
        roundTrip(c);
        consumer.receive(5000);

        consumer.close();

        Frame.ConsumerClose close = peer.expect(Frame.ConsumerClose.class);
        assertThat(close.consumerId()).isEqualTo(consumerId);
        assertThat(close.delivered()).as("m1 was seen; m2 and m3 were only prefetched").containsExactly(1);
    }

    @Test
    void closingASessionListsOnlyTheDeliveriesTheApplicationSaw() throws JMSException {
        Connection c = connect(QUERY);
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        int sessionId = peer.expect(Frame.SessionOpen.class).sessionId();
        MessageConsumer first = s.createConsumer(s.createQueue("orders"));
        Frame.ConsumerOpen firstOpen = peer.expect(Frame.ConsumerOpen.class);
        Frame.ConsumerOpen second = consumer(s);
        c.start();
        peer.send(textDelivery(firstOpen.consumerId(), 4, 1, "seen"));
        peer.send(textDelivery(second.consumerId(), 5, 1, "never seen"));
        roundTrip(c);
        assertThat(first.receive(5000)).isNotNull();

        s.close();

        Frame.SessionClose close = peer.expect(Frame.SessionClose.class);
        assertThat(close.sessionId()).isEqualTo(sessionId);
        assertThat(close.delivered()).containsExactly(4);
    }

    @Test
    void closingTheConnectionSendsCloseThenHangsUp() throws JMSException {
        Connection c = connect(QUERY);
        session(c, Session.AUTO_ACKNOWLEDGE);

        c.close();

        peer.expect(Frame.SessionClose.class);
        assertThat(peer.expect(Frame.Close.class).correlationId()).isNotZero();
        await().atMost(Duration.ofSeconds(5)).until(peer::isDisconnected);
    }
    @Test
    void aListenerGetsDeliveriesOffTheTransportThreadAndAThrowingListenerAsksForRedelivery() throws Exception {
        Connection c = connect(QUERY);
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        consumer.setMessageListener(m -> {
            threads.add(Thread.currentThread().getName());
            if (threads.size() == 2) {
                throw new IllegalArgumentException("the application cannot handle this one");
            }
        });
        c.start();

        peer.send(textDelivery(consumerId, 31, 1, "fine"));
        Frame.Ack consumed = peer.expect(Frame.Ack.class);
        peer.send(textDelivery(consumerId, 32, 1, "poison"));
        assertThat(peer.expect(Frame.Credit.class).credit()).isEqualTo(2);
        Frame.Ack redeliver = peer.expect(Frame.Ack.class);

        assertThat(consumed.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(consumed.deliveryIds()).containsExactly(31);
        assertThat(redeliver.kind()).isEqualTo(AckKind.REDELIVER);
        assertThat(redeliver.deliveryIds()).containsExactly(32);
        assertThat(threads).hasSize(2).noneMatch(t -> t.startsWith("tern-client-io"));
    }
}
