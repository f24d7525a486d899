package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic fan-out over tcp://: one producer, eight subscribers on their own connections mixing plain, unshared
 * durable, shared non-durable and shared durable subscriptions. Every subscription gets every message exactly once;
 * a shared one once across its consumers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TopicFanOutTest {
    private static final int MESSAGES = 400;

    @TempDir
    Path dataDir;

    @Test
    void everySubscriptionGetsEveryMessageExactlyOnce() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            List<Connection> connections = new ArrayList<>();
            Map<String, Map<String, AtomicInteger>> received = new LinkedHashMap<>();
            CountDownLatch done = new CountDownLatch(6 * MESSAGES);
            AtomicInteger duplicates = new AtomicInteger();
            try {
                String[][] subscribers = {
                        {"plain-1", "plain"}, {"plain-2", "plain"},
                        {"durable-1", "durable"}, {"durable-2", "durable"},
                        {"shared-a", "shared"}, {"shared-b", "shared"},
                        {"shared-durable-a", "shared-durable"}, {"shared-durable-b", "shared-durable"}};
                for (String[] sub : subscribers) {
                    Connection c = broker.factory("tcp", "prefetch=10").createConnection();
                    connections.add(c);
                    String subscription = sub[1].startsWith("shared") ? sub[1] : sub[0];
                    Map<String, AtomicInteger> counts = received.computeIfAbsent(subscription,
                            k -> new ConcurrentHashMap<>());
                    if (sub[1].equals("durable")) {
                        c.setClientID(sub[0]);
                    }
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    Topic t = s.createTopic("fan-out");
                    MessageConsumer consumer = switch (sub[1]) {
                        case "plain" -> s.createConsumer(t);
                        case "durable" -> s.createDurableConsumer(t, "fan");
                        case "shared" -> s.createSharedConsumer(t, "fan-shared");
                        default -> s.createSharedDurableConsumer(t, "fan-shared-durable");
                    };
                    consumer.setMessageListener(m -> {
                        if (counts.computeIfAbsent(text(m), k -> new AtomicInteger()).incrementAndGet() > 1) {
                            duplicates.incrementAndGet();
                        }
                        done.countDown();
                    });
                    c.start();
                }
                Connection producerConnection = broker.factory("tcp", "").createConnection();
                connections.add(producerConnection);
                Session ps = producerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = ps.createProducer(ps.createTopic("fan-out"));
                for (int i = 0; i < MESSAGES; i++) {
                    p.setDeliveryMode(i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                    p.send(ps.createTextMessage("m" + i));
                }
                assertThat(done.await(60, TimeUnit.SECONDS)).as("all %d deliveries arrived", 6 * MESSAGES).isTrue();
                for (Connection c : connections) {
                    c.stop();
                }
                assertThat(duplicates.get()).isZero();
                assertThat(received).hasSize(6);
                received.forEach((subscription, counts) -> assertThat(counts).as(subscription).hasSize(MESSAGES)
                        .allSatisfy((text, n) -> assertThat(n.get()).isEqualTo(1)));
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
            }
        }
    }

    private static String text(Message m) {
        try {
            return ((jakarta.jms.TextMessage) m).getText();
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }
}
