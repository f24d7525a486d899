package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rollback (or recover) while later messages sit prefetched in the client: the messages come again in their
 * original order, the seen ones flagged redelivered, the prefetched ones not. The broker sends a message again as
 * soon as it is back, so the order in which they go back is what keeps the order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RollbackOrderTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"rollback", "recover"})
    void messagesComeAgainInTheirOrderAfterARollbackWithOthersPrefetched(String how) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            c.start();
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer feed = plain.createProducer(plain.createQueue("ordered"));
            for (int i = 0; i < 5; i++) {
                feed.send(plain.createTextMessage("m" + i));
            }
            boolean rollback = how.equals("rollback");
            Session s = rollback ? c.createSession(true, Session.SESSION_TRANSACTED)
                    : c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ordered"));
            assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("m0");
            assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("m1");
            if (rollback) {
                s.rollback();
            } else {
                s.recover();
            }
            Message m = null;
            for (int i = 0; i < 5; i++) {
                m = consumer.receive(5000);
                assertThat(QueueMessagingTest.text(m)).as("message %d after %s", i, how).isEqualTo("m" + i);
                assertThat(m.getJMSRedelivered()).as("m%d redelivered", i).isEqualTo(i < 2);
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(i < 2 ? 2 : 1);
            }
            if (rollback) {
                s.commit();
            } else {
                m.acknowledge();
            }
            assertThat(broker.broker().queueDepth("ordered")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void rollbacksWhileDeliveriesAreStillOnTheWayKeepTheOrder(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "").createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer feed = plain.createProducer(plain.createQueue("busy"));
            for (int i = 0; i < 200; i++) {
                feed.send(plain.createTextMessage("m" + i));
            }
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("busy"));
            int next = 0;
            for (int round = 0; round < 40; round++) {
                // the consumer's prefetch asks for everything at once, so deliveries are still arriving now
                for (int k = 0; k < 3; k++) {
                    Message m = consumer.receive(5000);
                    assertThat(QueueMessagingTest.text(m)).as("round %d, message %d", round, k)
                            .isEqualTo("m" + (next + k));
                }
                if (round % 2 == 0) {
                    tx.rollback();
                } else {
                    tx.commit();
                    next += 3;
                }
            }
            assertThat(broker.broker().queueDepth("busy")).isEqualTo(200 - next);
        }
    }
}
