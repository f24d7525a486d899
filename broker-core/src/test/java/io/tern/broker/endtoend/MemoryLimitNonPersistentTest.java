package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.LimitSends.kib;
import static io.tern.broker.endtoend.LimitSends.sendUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages that cannot page (non-persistent ones, and every message a non-durable topic subscription holds): once
 * those held in memory take the whole {@code memory-limit}, further sends of such messages wait for consumers, then
 * fail naming the limit without being routed. Persistent messages in queues and durable subscriptions page and never
 * hold them back; temporary destinations are not counted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryLimitNonPersistentTest {
    @TempDir
    Path dataDir;

    @Test
    void aNonPersistentSendWaitsWhileSuchMessagesFillTheMemoryLimitUntilAConsumerTakesOne() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.memoryLimitBytes(16 * 1024).storeLimitWaitMillis(0));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("unread");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            int sent = 0;
            while (!broker.broker().memory().unpageableFull()) {
                p.send(kib(s));
                sent++;
            }
            assertThat(sent).isBetween(8, 16);
            CompletableFuture<Void> waiting = LimitSends.sendInBackground(p, s);
            Thread.sleep(300); // a window in which the send must still wait; nothing to await for an absence
            assertThat(waiting).as("the send waits at the memory limit").isNotDone();
            assertThat(broker.broker().queueDepth("unread")).isEqualTo(sent);
            // persistent messages page: they do not wait (on another connection: a connection's sends keep their order)
            try (Connection persistent = broker.factory("tcp", "").createConnection()) {
                Session other = persistent.createSession(false, Session.AUTO_ACKNOWLEDGE);
                other.createProducer(other.createQueue("stored")).send(kib(other), DeliveryMode.PERSISTENT, 4, 0);
            }
            c.start();
            Session consumerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(consumerSession.createConsumer(q).receive(5000)).isNotNull();
            waiting.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSendThatWaitsTooLongIsRefusedNamingTheLimitAndIsNotRouted() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.memoryLimitBytes(8 * 1024).storeLimitWaitMillis(300));
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("full"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            int sent = sendUntilRefused(p, s, "memory-limit=8192", "queue://full", "non-persistent");
            assertThat(broker.broker().queueDepth("full")).as("the refused message was not routed").isEqualTo(sent);
            // a temporary queue's messages are not counted, and its sends do not wait
            MessageProducer toTemporary = s.createProducer(s.createTemporaryQueue());
            toTemporary.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            toTemporary.send(kib(s));
        }
    }

    @Test
    void aPersistentBacklogBeyondTheMemoryLimitDoesNotHoldNonPersistentSends() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.memoryLimitBytes(8 * 1024).storeLimitWaitMillis(300));
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer persistent = s.createProducer(s.createQueue("backlog"));
            for (int i = 0; i < 40; i++) {
                persistent.send(kib(s), DeliveryMode.PERSISTENT, 4, 0);
            }
            assertThat(broker.broker().queueDepth("backlog") * 1024L).isGreaterThan(8 * 1024); // paged, mostly
            MessageProducer nonPersistent = s.createProducer(s.createQueue("other"));
            for (int i = 0; i < 6; i++) {
                nonPersistent.send(kib(s), DeliveryMode.NON_PERSISTENT, 4, 0); // a wait would end in a refusal
            }
            assertThat(broker.broker().queueDepth("other")).isEqualTo(6);
            // the persistent messages' pages and these together pass the limit; only non-persistent ones count
            assertThat(broker.broker().memory().heldBytes()).isGreaterThan(8 * 1024);
            assertThat(broker.broker().memory().unpageableFull()).isFalse();
        }
    }

    @Test
    void aStalledPlainTopicSubscribersMessagesCountAndHoldBackThePublisherUntilItGoes() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.memoryLimitBytes(16 * 1024).storeLimitWaitMillis(300));
             Connection publishing = broker.factory("vm", "").createConnection();
             Connection subscribing = broker.factory("vm", "").createConnection()) {
            Session sub = subscribing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer stalled = sub.createConsumer(sub.createTopic("prices")); // takes nothing
            subscribing.start();
            Session s = publishing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("prices"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            int sent = sendUntilRefused(p, s, "memory-limit=16384", "topic://prices", "non-persistent");
            assertThat(sent).as("about the limit's worth, then refused").isBetween(8, 16);
            assertThat(broker.broker().memory().unpageableFull()).isTrue();

            stalled.close(); // its subscription ends, and its messages with it
            assertThat(broker.broker().memory().unpageableHeldBytes()).isZero();
            p.send(kib(s));
        }
    }

    @Test
    void persistentMessagesHeldForAStalledPlainSubscriberHoldBackThePublisherButADurableSubscriptionPages()
            throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.memoryLimitBytes(16 * 1024).storeLimitWaitMillis(300));
             Connection publishing = broker.factory("vm", "").createConnection();
             Connection subscribing = broker.factory("vm", "").createConnection()) {
            subscribing.setClientID("audit");
            Session sub = subscribing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic orders = sub.createTopic("orders");
            MessageConsumer stalled = sub.createConsumer(orders); // takes nothing; its subscription cannot page
            subscribing.start();
            Session s = publishing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("orders"));
            assertThat(p.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            int sent = sendUntilRefused(p, s, "memory-limit=16384", "topic://orders", "non-durable topic subscribers");
            assertThat(sent).as("about the limit's worth, then refused").isBetween(8, 16);
            stalled.close();
            assertThat(broker.broker().memory().unpageableHeldBytes()).isZero();

            // a durable subscription nobody reads keeps persistent messages in its store: they page, nobody waits
            sub.createDurableConsumer(orders, "ledger").close();
            for (int i = 0; i < 40; i++) {
                p.send(kib(s)); // a wait would end in a refusal
            }
            assertThat(broker.broker().memory().unpageableFull()).isFalse();
            MessageConsumer ledger = sub.createDurableConsumer(orders, "ledger");
            for (int i = 0; i < 40; i++) {
                assertThat(ledger.receive(5000)).as("message %d of the durable backlog", i).isNotNull();
            }
        }
    }
}
