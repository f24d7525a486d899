package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queues through the JMS API against a real broker, over vm:// and over tcp://. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueMessagingTest {
    @TempDir
    Path dataDir;

    private TestBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    private Connection connect(String transport) throws Exception {
        return connect(transport, "");
    }

    private Connection connect(String transport, String params) throws Exception {
        if (broker == null) {
            broker = TestBroker.start(dataDir);
        }
        Connection c = broker.factory(transport, params).createConnection();
        connections.add(c);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aTextMessageSentIsReceivedWithItsHeadersAndProperties(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("greetings");
        MessageProducer p = s.createProducer(q);
        TextMessage sent = s.createTextMessage("hello");
        sent.setStringProperty("lang", "en");
        sent.setIntProperty("n", 7);
        sent.setJMSCorrelationID("corr-1");
        sent.setJMSType("greeting");
        p.send(sent);
        assertThat(sent.getJMSMessageID()).startsWith("ID:");
        assertThat(sent.getJMSDestination()).isEqualTo(q);

        c.start();
        TextMessage got = (TextMessage) s.createConsumer(q).receive(5000);
        assertThat(got.getText()).isEqualTo("hello");
        assertThat(got.getStringProperty("lang")).isEqualTo("en");
        assertThat(got.getIntProperty("n")).isEqualTo(7);
        assertThat(got.getJMSCorrelationID()).isEqualTo("corr-1");
        assertThat(got.getJMSType()).isEqualTo("greeting");
        assertThat(got.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
        assertThat(got.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(got.getJMSDestination()).isEqualTo(q);
        assertThat(got.getJMSRedelivered()).isFalse();
        assertThat(got.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void allFiveMessageTypesCrossTheWire(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("types");
        MessageProducer p = s.createProducer(q);
        p.send(s.createMessage());
        p.send(s.createTextMessage("t"));
        BytesMessage b = s.createBytesMessage();
        b.writeInt(42);
        b.writeUTF("bytes");
        p.send(b);
        MapMessage m = s.createMapMessage();
        m.setLong("l", 5L);
        m.setString("s", "map");
        p.send(m);
        p.send(s.createObjectMessage(new ArrayList<>(List.of("a", "b"))));
        StreamMessage st = s.createStreamMessage();
        st.writeBoolean(true);
        st.writeString("stream");
        p.send(st);

        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        Message m0 = consumer.receive(5000);
        assertThat(m0).isNotInstanceOf(TextMessage.class);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("t");
        BytesMessage b2 = (BytesMessage) consumer.receive(5000);
        assertThat(b2.readInt()).isEqualTo(42);
        assertThat(b2.readUTF()).isEqualTo("bytes");
        MapMessage m2 = (MapMessage) consumer.receive(5000);
        assertThat(m2.getLong("l")).isEqualTo(5L);
        assertThat(m2.getString("s")).isEqualTo("map");
        assertThat(((ObjectMessage) consumer.receive(5000)).getObject()).isEqualTo(List.of("a", "b"));
        StreamMessage st2 = (StreamMessage) consumer.receive(5000);
        assertThat(st2.readBoolean()).isTrue();
        assertThat(st2.readString()).isEqualTo("stream");
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aMessageListenerGetsEveryMessageInOrder(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("listened");
        List<String> got = new CopyOnWriteArrayList<>();
        s.createConsumer(q).setMessageListener(msg -> {
            try {
                got.add(((TextMessage) msg).getText());
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        c.start();
        Session ps = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = ps.createProducer(q);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("m" + i);
            p.send(ps.createTextMessage("m" + i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == expected.size());
        assertThat(got).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void clientAcknowledgeAndRecoverRedeliverWithTheCountRaised(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("client-ack");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("one"));
        p.send(s.createTextMessage("two"));
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("one");
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("two");
        s.recover();
        Message again = consumer.receive(5000);
        assertThat(((TextMessage) again).getText()).isEqualTo("one");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        Message two = consumer.receive(5000);
        assertThat(((TextMessage) two).getText()).isEqualTo("two");
        two.acknowledge();
        s.close();

        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(s2.createConsumer(q).receive(300)).as("both acknowledged").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void closingASessionReturnsUnacknowledgedMessagesAsRedelivered(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("returned");
        s.createProducer(q).send(s.createTextMessage("x"));
        s.createProducer(q).send(s.createTextMessage("y"));
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(consumer.receive(5000)).isNotNull();
        s.close(); // "x" was seen and not acknowledged; "y" was only prefetched

        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c2 = s2.createConsumer(q);
        Message x = c2.receive(5000);
        assertThat(((TextMessage) x).getText()).isEqualTo("x");
        assertThat(x.getJMSRedelivered()).isTrue();
        assertThat(x.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        Message y = c2.receive(5000);
        assertThat(((TextMessage) y).getText()).isEqualTo("y");
        assertThat(y.getJMSRedelivered()).as("never reached the application").isFalse();
        assertThat(y.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void transactedSendsAndReceivesTakeEffectOnlyOnCommit(String transport) throws Exception {
        Connection c = connect(transport);
        c.start();
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("tx");
        MessageProducer p = tx.createProducer(q);
        p.send(tx.createTextMessage("a"));
        p.send(tx.createTextMessage("b"));
        Session observer = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer watch = observer.createConsumer(q);
        assertThat(watch.receive(200)).as("not visible before commit").isNull();
        watch.close();
        tx.rollback();
        MessageConsumer txConsumer = tx.createConsumer(q);
        assertThat(txConsumer.receive(200)).as("rolled back sends are gone").isNull();

        p.send(tx.createTextMessage("c"));
        tx.commit();
        Message got = txConsumer.receive(5000);
        assertThat(((TextMessage) got).getText()).isEqualTo("c");
        tx.rollback();
        Message again = txConsumer.receive(5000);
        assertThat(((TextMessage) again).getText()).isEqualTo("c");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        tx.commit();
        txConsumer.close();
        MessageConsumer after = observer.createConsumer(q);
        assertThat(after.receive(200)).as("consumed on commit").isNull();
        assertThatThrownBy(observer::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void competingConsumersShareTheQueueAndEachMessageGoesToOne(String transport) throws Exception {
        Connection c = connect(transport, "prefetch=1");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("shared-work");
        Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        List<String> one = new CopyOnWriteArrayList<>();
        List<String> two = new CopyOnWriteArrayList<>();
        s1.createConsumer(q).setMessageListener(m -> one.add(text(m)));
        s2.createConsumer(q).setMessageListener(m -> two.add(text(m)));
        c.start();
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 100; i++) {
            p.send(s.createTextMessage(Integer.toString(i)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> one.size() + two.size() == 100);
        assertThat(one).isNotEmpty();
        assertThat(two).isNotEmpty();
        List<String> all = new ArrayList<>(one);
        all.addAll(two);
        assertThat(all).doesNotHaveDuplicates().hasSize(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void higherPriorityIsDeliveredFirst(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("prio");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("low"), DeliveryMode.PERSISTENT, 1, 0);
        p.send(s.createTextMessage("high"), DeliveryMode.PERSISTENT, 9, 0);
        p.send(s.createTextMessage("mid"), DeliveryMode.PERSISTENT, 4, 0);
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(text(consumer.receive(5000))).isEqualTo("high");
        assertThat(text(consumer.receive(5000))).isEqualTo("mid");
        assertThat(text(consumer.receive(5000))).isEqualTo("low");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void requestReplyThroughATemporaryQueue(String transport) throws Exception {
        Connection c = connect(transport);
        c.start();
        Session server = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue requests = server.createQueue("requests");
        MessageProducer replier = server.createProducer(null);
        server.createConsumer(requests).setMessageListener(m -> {
            try {
                TextMessage reply = server.createTextMessage("re: " + ((TextMessage) m).getText());
                reply.setJMSCorrelationID(m.getJMSMessageID());
                replier.send(m.getJMSReplyTo(), reply);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        Session client = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = client.createTemporaryQueue();
        TextMessage request = client.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        client.createProducer(requests).send(request);
        Message reply = client.createConsumer(replies).receive(5000);
        assertThat(text(reply)).isEqualTo("re: ping");
        assertThat(reply.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void nonPersistentAsyncSendsAllArrive(String transport) throws Exception {
        Connection c = connect(transport, "asyncSend=true&producerWindow=16");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("async");
        MessageProducer p = s.createProducer(q);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        for (int i = 0; i < 500; i++) {
            p.send(s.createTextMessage(Integer.toString(i)));
        }
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        for (int i = 0; i < 500; i++) {
            Message m = consumer.receive(5000);
            assertThat(text(m)).isEqualTo(Integer.toString(i));
            assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void stoppingTheConnectionPausesDeliveryUntilStart(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("paused");
        CountDownLatch first = new CountDownLatch(1);
        List<String> got = new CopyOnWriteArrayList<>();
        s.createConsumer(q).setMessageListener(m -> {
            got.add(text(m));
            first.countDown();
        });
        MessageProducer p = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(q);
        p.send(s.createTextMessage("before"));
        assertThat(first.await(300, TimeUnit.MILLISECONDS)).as("not started yet").isFalse();
        c.start();
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        c.stop();
        p.send(s.createTextMessage("while stopped"));
        Session probe = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(probe.createConsumer(probe.createQueue("paused-probe")).receive(200)).isNull();
        assertThat(got).containsExactly("before");
        c.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
    }

    static String text(Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
