package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Delivery delay and expiry through the JMS API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryTimingTest {
    @TempDir
    Path dataDir;

    @Test
    void aDelayedMessageIsHeldUntilItsDeliveryTimeAndDelayedOnesArriveInDeliveryTimeOrder() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("delayed");
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            MessageProducer p = s.createProducer(q);
            long sent = System.currentTimeMillis();
            p.setDeliveryDelay(2000);
            p.send(s.createTextMessage("late"));
            p.setDeliveryDelay(1000);
            p.send(s.createTextMessage("sooner"));
            assertThat(consumer.receiveNoWait()).as("held by the broker").isNull();

            Message first = consumer.receive(5000);
            assertThat(QueueMessagingTest.text(first)).isEqualTo("sooner");
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(first.getJMSDeliveryTime());
            assertThat(first.getJMSDeliveryTime()).isGreaterThanOrEqualTo(sent + 1000);
            Message second = consumer.receive(5000);
            assertThat(QueueMessagingTest.text(second)).isEqualTo("late");
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(second.getJMSDeliveryTime());
        }
    }

    @Test
    void anExpiredMessageIsNeverDeliveredAndIsCounted() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("perishable");
            MessageProducer p = s.createProducer(q);
            long sent = System.currentTimeMillis();
            p.send(s.createTextMessage("stale"), DeliveryMode.PERSISTENT, 4, 50);
            p.send(s.createTextMessage("fresh"), DeliveryMode.PERSISTENT, 4, 0);
            // nobody consumes until the first message has expired
            org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > sent + 100);
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("fresh");
            assertThat(consumer.receive(200)).isNull();
            assertThat(broker.broker().queueStats("perishable").orElseThrow().expired()).isEqualTo(1);
        }
    }

    @Test
    void withAnExpiryQueueAnExpiredMessageIsKeptThereAndNeverExpiresAgain() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.expiryQueue("expired"));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("short-lived");
            long sent = System.currentTimeMillis();
            s.createProducer(q).send(s.createTextMessage("too late"), DeliveryMode.PERSISTENT, 4, 50);
            org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > sent + 100);
            c.start();
            assertThat(s.createConsumer(q).receive(300)).isNull();
            Message kept = s.createConsumer(s.createQueue("expired")).receive(5000);
            assertThat(QueueMessagingTest.text(kept)).isEqualTo("too late");
            assertThat(kept.getJMSExpiration()).isZero();
            assertThat(kept.getStringProperty("JMS_TERN_ORIGINAL_DESTINATION")).isEqualTo("queue://short-lived");
            assertThat(kept.getStringProperty("JMS_TERN_DEAD_LETTER_REASON")).startsWith("expired at ");
            assertThat(broker.broker().queueStats("short-lived").orElseThrow().expired()).isEqualTo(1);
        }
    }
}
