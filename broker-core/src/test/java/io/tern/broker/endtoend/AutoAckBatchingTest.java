package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.destination.DestinationStats;
import io.tern.broker.testing.TcpProxy;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain topic subscriber in AUTO_ACKNOWLEDGE mode acknowledges its non-persistent messages several to a frame
 * (the client holds them back; see {@code TernSession#delivered}), against a real broker: the held ones reach it
 * once the subscriber has caught up, so nothing stays in flight; and when the subscriber's connection breaks
 * before they are sent, the broker keeps nothing of its subscription and delivers nothing again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AutoAckBatchingTest {
    private static final int MESSAGES = 40; // below the producer flow limit, so the publisher is never paced

    @TempDir
    Path dataDir;

    private static DestinationStats stats(TestBroker broker, String topic) {
        return broker.broker().topicStats(topic).orElseThrow();
    }

    private static void publish(Connection c, String topic, int count, int deliveryMode) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createTopic(topic));
        p.setDeliveryMode(deliveryMode);
        for (int i = 0; i < count; i++) {
            p.send(s.createTextMessage("m" + i));
        }
        s.close();
    }

    private static List<String> receive(MessageConsumer consumer, int count) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(10_000);
            assertThat(m).as("message %d of %d", i + 1, count).isNotNull();
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    @Test
    void theHeldAcknowledgementsArriveOnceTheSubscriberCatchesUp() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection subscriber = broker.factory("tcp", "").createConnection();
             Connection publisher = broker.factory("tcp", "").createConnection()) {
            Session s = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic("ticks"));
            subscriber.start();

            publish(publisher, "ticks", MESSAGES, DeliveryMode.NON_PERSISTENT);
            assertThat(receive(consumer, MESSAGES)).doesNotHaveDuplicates().hasSize(MESSAGES);
            assertThat(consumer.receiveNoWait()).isNull();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                DestinationStats stats = stats(broker, "ticks");
                assertThat(stats.consumed()).isEqualTo(MESSAGES);
                assertThat(stats.inFlight()).isZero();
                assertThat(stats.pending()).isZero();
            });

            consumer.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> stats(broker, "ticks").consumers() == 0);
            assertThat(stats(broker, "ticks").messageCount()).isZero();
        }
    }

    @Test
    void persistentMessagesToAPlainSubscriberAreStillAcknowledgedOneByOne() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection subscriber = broker.factory("tcp", "").createConnection();
             Connection publisher = broker.factory("tcp", "").createConnection()) {
            Session s = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic("orders"));
            subscriber.start();

            publish(publisher, "orders", 3, DeliveryMode.PERSISTENT);
            await().atMost(Duration.ofSeconds(10)).until(() -> stats(broker, "orders").inFlight() == 3);
            receive(consumer, 1);

            // two stay in the client's prefetch buffer, so the receive did not find the consumer caught up
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(stats(broker, "orders").consumed()).isEqualTo(1);
                assertThat(stats(broker, "orders").inFlight()).isEqualTo(2);
            });
        }
    }

    @Test
    void aSubscriberLostBeforeItsHeldAcknowledgementsLeavesNothingToDeliverAgain() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             TcpProxy proxy = new TcpProxy(broker.broker().port());
             Connection lost = new TernConnectionFactory(proxy.url("heartbeat=0")).createConnection();
             Connection staying = broker.factory("tcp", "").createConnection();
             Connection publisher = broker.factory("tcp", "").createConnection()) {
            Session ls = lost.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer lostConsumer = ls.createConsumer(ls.createTopic("ticks"));
            Session ss = staying.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer stayingConsumer = ss.createConsumer(ss.createTopic("ticks"));
            lost.start();
            staying.start();
            publish(publisher, "ticks", 20, DeliveryMode.NON_PERSISTENT);
            await().atMost(Duration.ofSeconds(10)).until(() -> stats(broker, "ticks").inFlight() == 40);

            // 3 received, 17 still buffered: the 3 acknowledgements are held when the connection breaks
            List<String> beforeTheCut = receive(lostConsumer, 3);
            proxy.cut();

            await().atMost(Duration.ofSeconds(10)).until(() -> stats(broker, "ticks").consumers() == 1);
            Set<String> stayingGot = new HashSet<>(receive(stayingConsumer, 20));
            assertThat(stayingGot).hasSize(20);
            assertThat(stayingConsumer.receiveNoWait()).as("the staying subscriber gets each message once").isNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                DestinationStats stats = stats(broker, "ticks");
                assertThat(stats.consumed()).as("only the staying subscription remains").isEqualTo(20);
                assertThat(stats.messageCount()).as("the lost subscription's messages went with it").isZero();
            });
            assertThat(beforeTheCut).containsExactly("m0", "m1", "m2");
        }
    }
}
