package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.destination.RedeliveryPolicy;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Redelivery delay with back-off, and the dead-letter queue after too many deliveries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedeliveryPolicyTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(ints = {DeliveryMode.PERSISTENT, DeliveryMode.NON_PERSISTENT})
    void aMessageRolledBackTooOftenGoesToTheDeadLetterQueueSayingWhy(int deliveryMode) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.redelivery(RedeliveryPolicy.DEFAULT
                .withMaxDeliveries(3)));
             Connection c = broker.factory("tcp", "").createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue orders = tx.createQueue("orders");
            tx.createProducer(orders).send(tx.createTextMessage("poison"), deliveryMode, 4, 0);
            tx.commit();
            MessageConsumer consumer = tx.createConsumer(orders);
            for (int delivery = 1; delivery <= 3; delivery++) {
                Message m = consumer.receive(5000);
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(delivery);
                tx.rollback();
            }
            assertThat(consumer.receive(300)).as("gone from the queue").isNull();

            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message dead = s.createConsumer(s.createQueue("DLQ")).receive(5000);
            assertThat(QueueMessagingTest.text(dead)).isEqualTo("poison");
            assertThat(dead.getStringProperty("JMS_TERN_ORIGINAL_DESTINATION")).isEqualTo("queue://orders");
            assertThat(dead.getStringProperty("JMS_TERN_DEAD_LETTER_REASON")).contains("3 times");
            assertThat(dead.getJMSDeliveryMode()).isEqualTo(deliveryMode);
            assertThat(broker.broker().queueDepth("orders")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTopicSubscriptionsPoisonMessageGoesToTheDeadLetterQueueToo(boolean durable) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.redelivery(RedeliveryPolicy.DEFAULT
                .withMaxDeliveries(2)));
             Connection c = broker.factory("tcp", "clientId=dlq-client").createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            jakarta.jms.Topic prices = tx.createTopic("prices");
            MessageConsumer consumer = durable ? tx.createDurableSubscriber(prices, "sub") : tx.createConsumer(prices);
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            plain.createProducer(prices).send(plain.createTextMessage("poison"));
            for (int delivery = 1; delivery <= 2; delivery++) {
                assertThat(consumer.receive(5000)).isNotNull();
                tx.rollback();
            }
            assertThat(consumer.receive(300)).isNull();
            Message dead = plain.createConsumer(plain.createQueue("DLQ")).receive(5000);
            assertThat(QueueMessagingTest.text(dead)).isEqualTo("poison");
            assertThat(dead.getStringProperty("JMS_TERN_ORIGINAL_DESTINATION")).isEqualTo("topic://prices");
        }
    }

    @Test
    void aQueueMayHaveItsOwnDeadLetterQueueAndRedeliveryWaitsWithBackoff() throws Exception {
        RedeliveryPolicy slow = RedeliveryPolicy.DEFAULT.withMaxDeliveries(3).withDeadLetterQueue("slow.DLQ")
                .withRedeliveryDelayMillis(200).withBackoffMultiplier(2);
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.queuePolicies(Map.of("slow", slow)));
             Connection c = broker.factory("vm", "").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("slow");
            s.createProducer(q).send(s.createTextMessage("retry me"));
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(consumer.receive(5000)).isNotNull();
            long recovered = System.nanoTime();
            s.recover();
            assertThat(consumer.receive(5000)).isNotNull();
            assertThat(elapsedMillis(recovered)).as("first redelivery waits 200 ms").isGreaterThanOrEqualTo(190);
            recovered = System.nanoTime();
            s.recover();
            assertThat(consumer.receive(5000)).isNotNull();
            assertThat(elapsedMillis(recovered)).as("second waits twice as long").isGreaterThanOrEqualTo(390);
            s.recover();
            assertThat(consumer.receive(500)).isNull();
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(QueueMessagingTest.text(other.createConsumer(other.createQueue("slow.DLQ")).receive(5000)))
                    .isEqualTo("retry me");
        }
    }

    @Test
    void backoffIsCappedAndZeroMaxDeliveriesNeverGivesUp() {
        RedeliveryPolicy p = RedeliveryPolicy.DEFAULT.withRedeliveryDelayMillis(100).withBackoffMultiplier(10)
                .withMaxRedeliveryDelayMillis(5000);
        assertThat(p.delayBefore(2)).isEqualTo(100);
        assertThat(p.delayBefore(3)).isEqualTo(1000);
        assertThat(p.delayBefore(4)).isEqualTo(5000);
        assertThat(RedeliveryPolicy.DEFAULT.withMaxDeliveries(0).exhausted(1_000_000)).isFalse();
        assertThat(RedeliveryPolicy.DEFAULT.exhausted(10)).isTrue();
        assertThat(RedeliveryPolicy.DEFAULT.exhausted(9)).isFalse();
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
