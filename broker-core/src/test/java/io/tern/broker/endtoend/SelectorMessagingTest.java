package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message selectors through the JMS API against a real broker, over vm:// and tcp://. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorMessagingTest {
    @TempDir
    Path dataDir;

    private TestBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    private Connection connect(String transport) throws Exception {
        if (broker == null) {
            broker = TestBroker.start(dataDir);
        }
        Connection c = broker.factory(transport, "").createConnection();
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

    private static TextMessage item(Session s, String text, String color, Object weight) throws Exception {
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("color", color);
        m.setObjectProperty("weight", weight);
        return m;
    }

    private static String text(Message m) throws Exception {
        assertThat(m).as("a message within the timeout").isNotNull();
        return ((TextMessage) m).getText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aQueueConsumerReceivesOnlyMatchingMessagesAndTheRestStayQueued(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("items");
        MessageProducer p = s.createProducer(q);
        p.send(item(s, "red-3", "red", 3));
        p.send(item(s, "red-1", "red", 1));
        p.send(item(s, "blue-5", "blue", 5));
        p.send(item(s, "red-2.5", "red", 2.5));
        p.send(item(s, "red-string", "red", "9"));
        p.send(item(s, "red-long", "red", 10L));
        c.start();

        MessageConsumer heavyRed = s.createConsumer(q, "color = 'red' AND weight > 2");
        assertThat(heavyRed.getMessageSelector()).isEqualTo("color = 'red' AND weight > 2");
        assertThat(text(heavyRed.receive(5000))).isEqualTo("red-3");
        assertThat(text(heavyRed.receive(5000))).isEqualTo("red-2.5");
        assertThat(text(heavyRed.receive(5000))).isEqualTo("red-long");
        assertThat(heavyRed.receiveNoWait()).as("every matching message was sent before").isNull();
        heavyRed.close();

        MessageConsumer rest = s.createConsumer(q);
        assertThat(rest.getMessageSelector()).isNull();
        assertThat(text(rest.receive(5000))).isEqualTo("red-1");
        assertThat(text(rest.receive(5000))).isEqualTo("blue-5");
        assertThat(text(rest.receive(5000))).isEqualTo("red-string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void twoConsumersWithDisjointSelectorsSplitAQueue(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("split");
        MessageConsumer even = s.createConsumer(q, "n / 2 * 2 = n");
        MessageConsumer odd = s.createConsumer(q, "n / 2 * 2 <> n");
        c.start();
        MessageProducer p = s.createProducer(q);
        for (int i = 0; i < 10; i++) {
            Message m = s.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            p.send(m);
        }
        for (int i = 0; i < 10; i += 2) {
            assertThat(text(even.receive(5000))).isEqualTo("m" + i);
            assertThat(text(odd.receive(5000))).isEqualTo("m" + (i + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void headerFieldsSelectOnTopics(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("orders");
        MessageConsumer cars = s.createConsumer(t, "JMSType = 'car' AND JMSCorrelationID LIKE 'order-%'");
        MessageConsumer urgent = s.createConsumer(t,
                "JMSDeliveryMode = 'NON_PERSISTENT' AND JMSPriority >= 7 AND JMSMessageID LIKE 'ID:%'");
        MessageConsumer all = s.createConsumer(t);
        c.start();

        MessageProducer p = s.createProducer(t);
        TextMessage car = s.createTextMessage("car");
        car.setJMSType("car");
        car.setJMSCorrelationIDAsBytes("order-1".getBytes(StandardCharsets.UTF_8));
        p.send(car);
        TextMessage bike = s.createTextMessage("bike");
        bike.setJMSType("bike");
        bike.setJMSCorrelationID("order-2");
        p.send(bike, DeliveryMode.NON_PERSISTENT, 9, 0);
        TextMessage slow = s.createTextMessage("slow");
        slow.setJMSType("car");
        p.send(slow, DeliveryMode.NON_PERSISTENT, 3, 0);

        assertThat(text(all.receive(5000))).isEqualTo("car");
        assertThat(text(all.receive(5000))).isEqualTo("bike");
        assertThat(text(all.receive(5000))).isEqualTo("slow");
        assertThat(text(cars.receive(5000))).isEqualTo("car");
        assertThat(text(urgent.receive(5000))).isEqualTo("bike");
        assertThat(cars.receiveNoWait()).isNull();
        assertThat(urgent.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void anInvalidSelectorThrowsInvalidSelectorExceptionFromEveryFactoryMethod(String transport) throws Exception {
        Connection c = connect(transport);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("items");
        assertThatThrownBy(() -> s.createConsumer(q, "color = 'red' AND"))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("position 18");
        assertThatThrownBy(() -> s.createConsumer(s.createTopic("t"), "weight >", true))
                .isInstanceOf(InvalidSelectorException.class);
        assertThatThrownBy(() -> ((QueueSession) s).createReceiver(q, "x IN (1, 2)"))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("string literal");
        // The session is still usable and the broker holds no consumer from the failed attempts.
        MessageConsumer ok = s.createConsumer(q, "");
        c.start();
        s.createProducer(q).send(s.createTextMessage("after"));
        assertThat(text(ok.receive(5000))).isEqualTo("after");
        assertThat(broker.broker().queueStats("items").orElseThrow().consumers()).isEqualTo(1);
    }
}
