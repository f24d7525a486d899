package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.LimitSends.kib;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.destination.DestinationStats;
import io.tern.broker.flow.FlowLimit;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer flow control ({@code producer-flow-limit}): the answer to a non-persistent send waits while the
 * destination holds more than the limit for consumers that are taking messages, so a fast producer goes at a slow
 * consumer's pace and the destination stays bounded; and it never waits on nobody (no consumers, stalled
 * consumers, the sender's own consumers, transactions).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProducerFlowTest {
    private static final int KIB_ENTRY = 1024 + 200;

    @TempDir
    Path dataDir;

    @Test
    void aSlowConsumerBoundsTheQueueAndPacesAnAsynchronousProducer() throws Exception {
        int limit = 16 * 1024;
        int window = 8;
        int deepest = slowConsumerRun(new FlowLimit(limit, 60_000), window, false);
        // the limit's worth of messages, plus each unanswered send of the window, plus one credit batch in transit
        assertThat(deepest).isLessThanOrEqualTo(limit / KIB_ENTRY + window + 8);
    }

    @Test
    void withoutTheLimitTheSameRunLetsTheQueueGrow() throws Exception {
        assertThat(slowConsumerRun(FlowLimit.OFF, 8, false)).isGreaterThan(200);
    }

    @Test
    void aSlowSubscriberBoundsItsSubscriptionAndPacesThePublisher() throws Exception {
        int limit = 16 * 1024;
        int deepest = slowConsumerRun(new FlowLimit(limit, 60_000), 8, true);
        // the topic's figure sums both subscriptions: the slow one is bounded, the fast one is at most as deep
        assertThat(deepest).isLessThanOrEqualTo(2 * (limit / KIB_ENTRY + 8 + 8));
    }

    /**
     * One producer sends 600 non-persistent messages asynchronously; a consumer (and on a topic a second, fast
     * one) takes them one every millisecond or so. Returns the most messages the destination held at once.
     */
    private int slowConsumerRun(FlowLimit flow, int window, boolean topic) throws Exception {
        int count = 600;
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(flow));
             Connection producing = broker.factory("tcp", "asyncSend=true&producerWindow=" + window)
                     .createConnection();
             Connection consuming = broker.factory("tcp", "").createConnection();
             Connection fast = broker.factory("tcp", "").createConnection()) {
            Session cs = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination d = topic ? cs.createTopic("paced") : cs.createQueue("paced");
            MessageConsumer slow = cs.createConsumer(d);
            CompletableFuture<Void> fastDone = CompletableFuture.completedFuture(null);
            if (topic) {
                MessageConsumer quick = fast.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(d);
                fast.start();
                fastDone = CompletableFuture.runAsync(() -> receive(quick, count));
            }
            consuming.start();
            Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(d);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(ps, p, count));
            Supplier<DestinationStats> stats = () -> (topic ? broker.broker().topicStats("paced")
                    : broker.broker().queueStats("paced")).orElseThrow();
            int deepest = 0;
            for (int i = 0; i < count; i++) {
                assertThat(slow.receive(10_000)).as("message %d", i).isNotNull();
                DestinationStats s = stats.get();
                deepest = Math.max(deepest, s.pending() + s.inFlight());
                Thread.sleep(1); // the consumer's work: it takes messages slower than the producer sends them
            }
            sent.get(10, TimeUnit.SECONDS);
            fastDone.get(10, TimeUnit.SECONDS);
            return deepest;
        }
    }

    @Test
    void aSynchronousSendWaitsForABusyConsumerAndGoesWhenItTakesMore() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 60_000)));
             Connection producing = broker.factory("tcp", "").createConnection();
             Connection consuming = broker.factory("tcp", "prefetch=100").createConnection()) {
            Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = ps.createQueue("busy");
            MessageProducer p = ps.createProducer(q);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            MessageConsumer c = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            consuming.start();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(ps, p, 50));
            assertThat(c.receive(5000)).isNotNull(); // the consumer takes one, then is busy
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().queueDepth("busy") > 0
                    || broker.broker().queueStats("busy").orElseThrow().inFlight() >= 4);
            Thread.sleep(300); // a window in which the sends must still wait; nothing to await for an absence
            assertThat(sent).as("the producer waits for the busy consumer").isNotDone();
            receive(c, 49);
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDestinationWithoutConsumersIsNotPaced() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 60_000)));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("nobody"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            send(s, p, 300);
            assertThat(broker.broker().queueDepth("nobody")).isEqualTo(300);
        }
    }

    @Test
    void anOfflineDurableSubscriberDoesNotPaceTheTopic() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 60_000)));
             Connection durable = broker.factory("tcp", "clientId=offline").createConnection();
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session ds = durable.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = ds.createTopic("news");
            ds.createDurableSubscriber(t, "later").close();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer live = s.createConsumer(t);
            c.start();
            MessageProducer p = s.createProducer(t);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            CompletableFuture<Void> received = CompletableFuture.runAsync(() -> receive(live, 300));
            send(s, p, 300);
            received.get(10, TimeUnit.SECONDS);
            MessageConsumer back = ds.createDurableSubscriber(t, "later");
            durable.start();
            receive(back, 300);
        }
    }

    @Test
    void aListenerThatSendsToTheQueueItConsumesNeverWaitsForItself() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 60_000)));
             Connection filler = broker.factory("tcp", "").createConnection();
             Connection c = broker.factory("tcp", "asyncSend=true&producerWindow=2").createConnection()) {
            int messages = 50;
            int hops = 10;
            Session fs = filler.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = fs.createQueue("loop");
            MessageProducer fp = fs.createProducer(q);
            fp.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            send(fs, fp, messages);
            CountDownLatch done = new CountDownLatch(messages);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer again = s.createProducer(q);
            again.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            s.createConsumer(q).setMessageListener(m -> hop(s, again, m, hops, done));
            c.start();
            assertThat(done.await(30, TimeUnit.SECONDS)).as("every message made its hops").isTrue();
        }
    }

    @Test
    void twoApplicationsFeedingEachOtherKeepGoingPastTheStallTime() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 200)));
             Connection a = broker.factory("tcp", "asyncSend=true&producerWindow=2&prefetch=50").createConnection();
             Connection b = broker.factory("tcp", "asyncSend=true&producerWindow=2&prefetch=50").createConnection()) {
            int messages = 40;
            int hops = 6;
            CountDownLatch done = new CountDownLatch(2 * messages);
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q1 = sa.createQueue("one");
            Queue q2 = sb.createQueue("two");
            MessageProducer toTwo = sa.createProducer(q2);
            MessageProducer toOne = sb.createProducer(q1);
            toTwo.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            toOne.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            send(sa, toTwo, messages);
            send(sb, toOne, messages);
            sa.createConsumer(q1).setMessageListener(m -> hop(sa, toTwo, m, hops, done));
            sb.createConsumer(q2).setMessageListener(m -> hop(sb, toOne, m, hops, done));
            a.start();
            b.start();
            assertThat(done.await(45, TimeUnit.SECONDS)).as("the cycle did not deadlock").isTrue();
        }
    }

    @Test
    void transactedSendsAndTheOwnersSendsToItsTemporaryQueueAreNotHeld() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.producerFlow(new FlowLimit(4 * 1024, 60_000)));
             Connection owner = broker.factory("tcp", "prefetch=100").createConnection();
             Connection other = broker.factory("tcp", "").createConnection()) {
            Session os = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = os.createTemporaryQueue();
            MessageConsumer c = os.createConsumer(replies);
            owner.start();
            MessageProducer own = os.createProducer(replies);
            own.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            send(os, own, 20);
            assertThat(c.receive(5000)).isNotNull(); // took one; now busy, with 19 and more in its prefetch
            send(os, own, 20);

            Session ts = other.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer tp = ts.createProducer(replies);
            tp.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            send(ts, tp, 20);
            ts.commit();

            Session ps = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(replies);
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            CompletableFuture<Void> paced = CompletableFuture.runAsync(() -> send(ps, p, 5));
            Thread.sleep(300); // a window in which the send must still wait; nothing to await for an absence
            assertThat(paced).as("another connection's plain send waits for the busy owner").isNotDone();
            receive(c, 59 + 5);
            paced.get(10, TimeUnit.SECONDS);
        }
    }

    private static void hop(Session s, MessageProducer p, Message m, int hops, CountDownLatch done) {
        try {
            int hop = m.getIntProperty("hop");
            if (hop >= hops) {
                done.countDown();
                return;
            }
            BytesMessage next = kib(s);
            next.setIntProperty("hop", hop + 1);
            p.send(next);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(Session s, MessageProducer p, int count) {
        try {
            for (int i = 0; i < count; i++) {
                BytesMessage m = kib(s);
                m.setIntProperty("hop", 0);
                p.send(m);
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void receive(MessageConsumer c, int count) {
        try {
            for (int i = 0; i < count; i++) {
                if (c.receive(10_000) == null) {
                    throw new IllegalStateException("message " + i + " of " + count + " did not come");
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
