package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.TernTextMessage;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AUTO_ACKNOWLEDGE of a plain topic subscriber's non-persistent messages goes several to a frame: at most a batch
 * (half the prefetch, at most {@link TernSession#AUTO_ACK_BATCH}) is held, and what is held goes as soon as the
 * consumer has nothing more to give, ahead of any other acknowledgement, and before a close or recover. Every other
 * acknowledgement still goes at once. Checked frame by frame against a scripted peer, with the sessions' clock
 * stopped.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AutoAckBatchingTest {
    /** Prefetch 10: credit and acknowledgement batches of 5. */
    private static final String QUERY = "heartbeat=0&requestTimeout=5000&prefetch=10";

    private TestPeer peer;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startPeer() {
        // time stands still: every receive is in quick succession, so only the batch size and the consumer's
        // catching up send held acknowledgements (PendingAcksTest checks the timing)
        TernSession.ackClock = () -> 0L;
        peer = new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.ConsumerOpen.class,
                Frame.ConsumerClose.class, Frame.SessionClose.class, Frame.Close.class, Frame.Ack.class);
    }

    @AfterEach
    void stopPeer() throws JMSException {
        for (Connection c : connections) {
            c.close();
        }
        peer.close();
        TernSession.ackClock = System::nanoTime;
    }

    private Connection connect() throws JMSException {
        return connect("");
    }

    private Connection connect(String extra) throws JMSException {
        Connection c = new TernConnectionFactory(peer.uri() + "?" + QUERY + extra).createConnection();
        connections.add(c);
        return c;
    }

    private Session session(Connection c, int mode) throws JMSException {
        Session s = c.createSession(mode);
        peer.expect(Frame.SessionOpen.class);
        return s;
    }

    /** Returns once the client has read what the peer sent before (the answer comes after it on the socket). */
    private void roundTrip(Connection c) throws JMSException {
        session(c, Session.AUTO_ACKNOWLEDGE);
    }

    /** A DELIVER of a text message published to topic "news" with {@code deliveryMode}. */
    private static Frame.Deliver topicDelivery(long consumerId, long deliveryId, int deliveryMode) {
        try {
            TernTextMessage m = new TernTextMessage("m" + deliveryId);
            m.setJMSDestination(new TernTopic("news"));
            m.setJMSMessageID("ID:peer:" + deliveryId);
            m.setJMSDeliveryMode(deliveryMode);
            return new Frame.Deliver(consumerId, deliveryId, 1, MessageCodec.encode(m));
        } catch (JMSException e) {
            throw new AssertionError("could not encode a test message", e);
        }
    }

    private void deliverNonPersistent(long consumerId, long from, long to) {
        for (long id = from; id <= to; id++) {
            peer.send(topicDelivery(consumerId, id, DeliveryMode.NON_PERSISTENT));
        }
    }

    private static void receive(MessageConsumer consumer, int n) throws JMSException {
        for (int i = 0; i < n; i++) {
            assertThat(consumer.receive(5000)).as("message %d of %d", i + 1, n).isNotNull();
        }
    }

    /** A plain subscriber to topic "news" on a started connection, and the consumer id the peer saw. */
    private record NewsSubscriber(AutoAckBatchingTest test, Connection connection, Session session,
                                  MessageConsumer consumer, long id) {
        /** The peer delivers non-persistent messages 1 to {@code delivered}; the first {@code received} are taken. */
        void deliverThenReceive(int delivered, int received) throws JMSException {
            test.deliverNonPersistent(id, 1, delivered);
            test.roundTrip(connection);
            receive(consumer, received);
        }
    }

    private NewsSubscriber newsSubscriber() throws JMSException {
        Connection c = connect();
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic("news"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        return new NewsSubscriber(this, c, s, consumer, consumerId);
    }

    @Test
    void aFullBatchGoesInOneFrameAndTheRestWhenAReceiveFindsNothing() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(7, 7);

        assertThat(peer.expect(Frame.Credit.class)).isEqualTo(new Frame.Credit(sub.id(), 5));
        Frame.Ack batch = peer.expect(Frame.Ack.class);
        assertThat(batch.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(batch.deliveryIds()).containsExactly(1, 2, 3, 4, 5);
        roundTrip(sub.connection());
        peer.expectNothingMore(); // 6 and 7 are held: more were buffered, the application is still taking them

        assertThat(sub.consumer().receiveNoWait()).isNull();

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(6, 7);
    }

    @Test
    void aReceiveThatWouldWaitSendsWhatIsHeldFirst() throws Exception {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(2, 2);

        CompletableFuture<Message> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return sub.consumer().receive(10_000);
            } catch (JMSException e) {
                throw new CompletionException(e);
            }
        });

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1, 2);
        deliverNonPersistent(sub.id(), 3, 3);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aPersistentMessageIsAcknowledgedAtOnceTogetherWithWhatIsHeldBeforeIt() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        deliverNonPersistent(sub.id(), 1, 2);
        peer.send(topicDelivery(sub.id(), 3, DeliveryMode.PERSISTENT));
        peer.send(topicDelivery(sub.id(), 4, DeliveryMode.NON_PERSISTENT));
        roundTrip(sub.connection());

        receive(sub.consumer(), 3);

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1, 2, 3);
    }

    @Test
    void aQueueConsumersNonPersistentMessagesAreAcknowledgedOneByOne() throws JMSException {
        Connection c = connect();
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        for (long id = 1; id <= 2; id++) {
            TernTextMessage m = new TernTextMessage("q" + id);
            m.setJMSDestination(new TernQueue("orders"));
            m.setJMSMessageID("ID:peer:" + id);
            m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
            peer.send(new Frame.Deliver(consumerId, id, 1, MessageCodec.encode(m)));
        }
        roundTrip(c);

        receive(consumer, 1);
        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).as("a queue's message may go to another consumer"
                + " if this one is lost: its acknowledgement is never held").containsExactly(1);
        receive(consumer, 1);
        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(2);
    }

    @Test
    void aDurableSubscribersAcknowledgementsAreNotHeld() throws JMSException {
        Connection c = connect("&clientId=durable-client");
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createDurableConsumer(s.createTopic("news"), "kept");
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        deliverNonPersistent(consumerId, 1, 2);
        roundTrip(c);

        receive(consumer, 1);

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1);
    }

    @Test
    void closingTheConsumerSendsWhatIsHeldBeforeConsumerClose() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(3, 2);

        sub.consumer().close();

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1, 2);
        Frame.ConsumerClose close = peer.expect(Frame.ConsumerClose.class);
        assertThat(close.delivered()).as("AUTO_ACKNOWLEDGE leaves nothing unsettled; 3 was only prefetched")
                .isEmpty();
    }

    @Test
    void closingTheSessionSendsWhatIsHeldBeforeSessionClose() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(3, 2);

        sub.session().close();

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1, 2);
        peer.expect(Frame.SessionClose.class);
    }

    @Test
    void recoverSendsWhatIsHeldBeforeReturningWhatWasOnlyPrefetched() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(3, 2);

        sub.session().recover();

        Frame.Ack consumed = peer.expect(Frame.Ack.class);
        assertThat(consumed.kind()).isEqualTo(AckKind.CONSUMED);
        assertThat(consumed.deliveryIds()).containsExactly(1, 2);
        // nothing seen is unsettled; the broker takes back the prefetched one (3) with the rest of the session's
        Frame.Ack returned = peer.expect(Frame.Ack.class);
        assertThat(returned.kind()).isEqualTo(AckKind.RETURN_ALL);
        assertThat(returned.deliveryIds()).isEmpty();
    }

    @Test
    void stoppingTheConnectionSendsWhatIsHeld() throws JMSException {
        NewsSubscriber sub = newsSubscriber();
        sub.deliverThenReceive(3, 1);

        sub.connection().stop();

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1);
    }

    @Test
    void aListenersTurnEndsBySendingWhatIsHeldAndAThrowingListenerStillAsksForRedelivery() throws Exception {
        Connection c = connect();
        Session s = session(c, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic("news"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        List<String> seen = new CopyOnWriteArrayList<>();
        consumer.setMessageListener(m -> {
            try {
                seen.add(((jakarta.jms.TextMessage) m).getText());
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
            if (seen.size() == 4) {
                throw new IllegalArgumentException("the application cannot handle this one");
            }
        });
        c.start();

        deliverNonPersistent(consumerId, 1, 3);
        List<Long> acknowledged = new ArrayList<>();
        while (acknowledged.size() < 3) {
            Frame.Ack ack = peer.expect(Frame.Ack.class);
            assertThat(ack.kind()).isEqualTo(AckKind.CONSUMED);
            for (long id : ack.deliveryIds()) {
                acknowledged.add(id);
            }
        }
        assertThat(acknowledged).containsExactly(1L, 2L, 3L);

        deliverNonPersistent(consumerId, 4, 4);
        Frame.Ack redeliver = peer.expect(Frame.Ack.class);
        assertThat(redeliver.kind()).isEqualTo(AckKind.REDELIVER);
        assertThat(redeliver.deliveryIds()).containsExactly(4);
    }

    @Test
    void anXaSessionsPlainSubscriberAcknowledgesEachMessageAtOnce() throws JMSException {
        jakarta.jms.XAConnection c = new TernXAConnectionFactory(peer.uri() + "?" + QUERY).createXAConnection();
        connections.add(c);
        Session s = c.createXASession();
        peer.expect(Frame.SessionOpen.class);
        MessageConsumer consumer = s.createConsumer(s.createTopic("news"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        deliverNonPersistent(consumerId, 1, 2);
        roundTrip(c);

        receive(consumer, 1);

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).as("inside a branch the acknowledgement belongs to it:"
                + " it may not be held past XA end").containsExactly(1);
    }

    @Test
    void aClientAcknowledgeSubscriberStillAcknowledgesOnlyWhenAsked() throws Exception {
        Connection c = connect();
        Session s = session(c, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createTopic("news"));
        long consumerId = peer.expect(Frame.ConsumerOpen.class).consumerId();
        c.start();
        deliverNonPersistent(consumerId, 1, 2);
        roundTrip(c);
        receive(consumer, 1);
        Message second = consumer.receive(5000);
        assertThat(consumer.receiveNoWait()).isNull();
        roundTrip(c);
        peer.expectNothingMore();

        second.acknowledge();

        assertThat(peer.expect(Frame.Ack.class).deliveryIds()).containsExactly(1, 2);
    }
}
