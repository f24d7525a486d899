package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.broker.testing.TcpProxy;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover transport against a real broker over real sockets. The client reaches the broker through a
 * {@link TcpProxy} the test cuts, as a network failure or a dead host would; the broker itself keeps running, so
 * what the client had (sessions, consumers, subscriptions) must be re-created on a new connection to it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FailoverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private TestBroker broker;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir, b -> b.heartbeatMillis(0));
        proxy = new TcpProxy(broker.broker().port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        broker.close();
    }

    /** Through the proxy only: each cut is followed by a reconnection through it. */
    private TernConnectionFactory viaProxy(String options) {
        return new TernConnectionFactory("failover:(" + proxy.url("") + ")?initialReconnectDelay=10"
                + "&maxReconnectDelay=200" + (options.isEmpty() ? "" : "&" + options));
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private void cutAndAwaitReconnect() {
        long before = proxy.acceptedCount();
        proxy.cut();
        await().atMost(WAIT).until(() -> proxy.acceptedCount() > before && proxy.openCount() > 0);
    }

    @Test
    void aSendWhoseAnswerWasLostIsSentAgainAndStoredOnce() throws Exception {
        try (Connection c = viaProxy("").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("lost-reply");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage("before"));
            proxy.holdReplies(true);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    p.send(s.createTextMessage("once"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the broker stored it; its OK is swallowed by the proxy
            await().atMost(WAIT).until(() -> broker.broker().queueDepth("lost-reply") == 2);
            assertThat(sending).isNotDone();
            proxy.holdReplies(false);
            proxy.cut();
            sending.get(30, TimeUnit.SECONDS);
            p.send(s.createTextMessage("after"));
            assertThat(broker.broker().queueDepth("lost-reply")).isEqualTo(3);
            MessageConsumer consumer = s.createConsumer(q);
            List<String> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(1000)) != null) {
                got.add(text(m));
            }
            assertThat(got).containsExactly("before", "once", "after");
        }
    }

    @Test
    void consumersOfEveryKindCarryOnAfterACut() throws Exception {
        try (Connection c = viaProxy("clientId=carry-on").createConnection()) {
            c.start();
            Session auto = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session client = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q1 = auto.createQueue("auto-q");
            Queue q2 = auto.createQueue("client-q");
            Queue q3 = auto.createQueue("tx-q");
            Topic topic = auto.createTopic("news");
            MessageConsumer ca = auto.createConsumer(q1);
            MessageConsumer cc = client.createConsumer(q2);
            MessageConsumer ct = tx.createConsumer(q3);
            MessageConsumer durable = auto.createDurableConsumer(topic, "sub", "kind = 'wanted'", false);
            MessageConsumer shared = auto.createSharedConsumer(topic, "shared-sub");
            MessageConsumer noLocal = client.createConsumer(topic, null, true);
            MessageProducer p = auto.createProducer(null);

            cutAndAwaitReconnect();

            p.send(q1, auto.createTextMessage("a"));
            p.send(q2, auto.createTextMessage("c"));
            p.send(q3, auto.createTextMessage("t"));
            TextMessage unwanted = auto.createTextMessage("skip");
            unwanted.setStringProperty("kind", "other");
            p.send(topic, unwanted);
            TextMessage wanted = auto.createTextMessage("d");
            wanted.setStringProperty("kind", "wanted");
            p.send(topic, wanted);
            assertThat(text(ca.receive(10_000))).isEqualTo("a");
            Message m = cc.receive(10_000);
            assertThat(text(m)).isEqualTo("c");
            m.acknowledge();
            assertThat(text(ct.receive(10_000))).isEqualTo("t");
            tx.commit();
            assertThat(text(durable.receive(10_000))).isEqualTo("d");
            assertThat(durable.receiveNoWait()).isNull();
            assertThat(text(shared.receive(10_000))).isEqualTo("skip");
            assertThat(text(shared.receive(10_000))).isEqualTo("d");
            assertThat(noLocal.receive(500)).as("noLocal: this connection's own messages").isNull();
        }
        await().atMost(WAIT).until(() -> broker.broker().queueDepth("auto-q") == 0
                && broker.broker().queueDepth("client-q") == 0 && broker.broker().queueDepth("tx-q") == 0);
    }

    @Test
    void aDeliveryTheApplicationHadNotAcknowledgedComesAgainFlaggedAndItsStaleAckIsSkipped() throws Exception {
        try (Connection c = viaProxy("prefetch=10").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("client-ack");
            MessageProducer p = s.createProducer(q);
            for (int i = 1; i <= 3; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            MessageConsumer consumer = s.createConsumer(q);
            Message first = consumer.receive(10_000);
            assertThat(text(first)).isEqualTo("m1");
            assertThat(first.getJMSRedelivered()).isFalse();

            cutAndAwaitReconnect();
            first.acknowledge(); // of the lost connection: skipped, m1 comes again

            List<Message> got = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(2000)) != null) {
                got.add(m);
            }
            assertThat(got).extracting(FailoverTest::text).containsExactly("m1", "m2", "m3");
            assertThat(got.get(0).getJMSRedelivered()).isTrue();
            got.get(got.size() - 1).acknowledge();
        }
        await().atMost(WAIT).until(() -> broker.broker().queueDepth("client-ack") == 0);
    }

    @Test
    void aTransactionWithWorkOnTheLostConnectionFailsItsCommitAndTheRetryCommits() throws Exception {
        try (Connection c = viaProxy("").createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue in = s.createQueue("tx-in");
            Queue out = s.createQueue("tx-out");
            MessageProducer seed = s.createProducer(in);
            seed.send(s.createTextMessage("order-1"));
            s.commit();
            MessageConsumer consumer = s.createConsumer(in);
            MessageProducer p = s.createProducer(out);

            Message order = consumer.receive(10_000);
            assertThat(text(order)).isEqualTo("order-1");
            p.send(s.createTextMessage("shipped-1"));
            cutAndAwaitReconnect();
            p.send(s.createTextMessage("shipped-1b")); // on the new connection, same transaction
            assertThatThrownBy(s::commit).isInstanceOf(TransactionRolledBackException.class);

            // the application retries: a fresh transaction
            Message again = consumer.receive(10_000);
            assertThat(text(again)).isEqualTo("order-1");
            assertThat(again.getJMSRedelivered()).isTrue();
            p.send(s.createTextMessage("shipped-1"));
            s.commit();
            assertThat(consumer.receive(500)).isNull();
        }
        try (Connection c = broker.factory("tcp", "").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("tx-out"));
            assertThat(text(consumer.receive(10_000))).isEqualTo("shipped-1");
            assertThat(consumer.receive(500)).isNull();
            assertThat(broker.broker().queueDepth("tx-in")).isZero();
        }
    }

    @Test
    void aRollbackAfterFailoverSucceedsAndACommitInFlightIsReportedRolledBack() throws Exception {
        try (Connection c = viaProxy("").createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = s.createQueue("tx-doubt");
            MessageProducer p = s.createProducer(q);
            p.send(s.createTextMessage("x"));
            cutAndAwaitReconnect();
            s.rollback();
            p.send(s.createTextMessage("y"));
            s.commit();

            p.send(s.createTextMessage("z"));
            // a round trip: the broker answers frames in order, so the send's answer has arrived before this one's
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
            proxy.holdReplies(true);
            CompletableFuture<Void> committing = CompletableFuture.runAsync(() -> {
                try {
                    s.commit();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(WAIT).until(() -> broker.broker().queueDepth("tx-doubt") == 2);
            proxy.holdReplies(false);
            proxy.cut();
            assertThatThrownBy(() -> committing.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseInstanceOf(TransactionRolledBackException.class);
        }
    }

    @Test
    void theExceptionListenerHearsOnlyWhenFailoverGivesUp() throws Exception {
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        try (Connection c = viaProxy("maxReconnectAttempts=3").createConnection()) {
            c.setExceptionListener(heard::add);
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("listener"));
            cutAndAwaitReconnect();
            p.send(s.createTextMessage("still fine"));
            assertThat(heard).isEmpty();

            proxy.refuse(true);
            proxy.cut();
            await().atMost(WAIT).until(() -> !heard.isEmpty());
            assertThat(heard).hasSize(1);
            assertThat(heard.get(0)).hasMessageContaining("gave up after 3 pass(es)");
            assertThatThrownBy(() -> p.send(s.createTextMessage("too late")))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }

    @Test
    void maxReconnectAttemptsZeroNeverReconnects() throws Exception {
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        try (Connection c = viaProxy("maxReconnectAttempts=0").createConnection()) {
            c.setExceptionListener(heard::add);
            proxy.cut();
            await().atMost(WAIT).until(() -> !heard.isEmpty());
            assertThat(heard.get(0)).hasMessageContaining("maxReconnectAttempts=0");
            assertThat(proxy.acceptedCount()).isEqualTo(1);
        }
    }

    @Test
    void startupWithTheFirstBrokerDownConnectsToTheSecond() throws Exception {
        int down = freePort();
        TernConnectionFactory f = new TernConnectionFactory("failover:(tcp://127.0.0.1:" + down + ","
                + broker.tcpUrl() + ")?startupMaxReconnectAttempts=1");
        try (Connection c = f.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("startup");
            s.createProducer(q).send(s.createTextMessage("hello"));
            assertThat(text(s.createConsumer(q).receive(10_000))).isEqualTo("hello");
        }
        TernConnectionFactory none = new TernConnectionFactory("failover:(tcp://127.0.0.1:" + down + ")"
                + "?startupMaxReconnectAttempts=2&initialReconnectDelay=1");
        assertThatThrownBy(none::createConnection).isInstanceOf(JMSException.class)
                .hasMessageContaining("gave up after 2 pass(es)").hasMessageContaining(String.valueOf(down));
    }

    @Test
    void aRequestWaitsForTheReconnectionAtMostTheTimeout() throws Exception {
        try (Connection c = viaProxy("timeout=300").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("timeout"));
            proxy.refuse(true);
            proxy.cut();
            assertThatThrownBy(() -> p.send(s.createTextMessage("waits"))).isInstanceOf(JMSException.class)
                    .hasMessageContaining("failover timeout");
            proxy.refuse(false);
            await().atMost(WAIT).untilAsserted(() -> {
                p.send(s.createTextMessage("goes"));
            });
            assertThat(broker.broker().queueDepth("timeout")).isEqualTo(1);
        }
    }

    @Test
    void anOpenBrowseFailsClearlyAndANewOneWorks() throws Exception {
        try (Connection c = viaProxy("prefetch=1").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browsed");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("b" + i));
            }
            QueueBrowser browser = s.createBrowser(q);
            Enumeration<?> e = browser.getEnumeration();
            assertThat(e.hasMoreElements()).isTrue();
            e.nextElement();
            cutAndAwaitReconnect();
            assertThatThrownBy(e::hasMoreElements).isInstanceOf(jakarta.jms.JMSRuntimeException.class)
                    .hasMessageContaining("getEnumeration() again");
            Enumeration<?> again = browser.getEnumeration();
            int n = 0;
            while (again.hasMoreElements()) {
                again.nextElement();
                n++;
            }
            assertThat(n).isEqualTo(5);
        }
    }

    @Test
    void aTemporaryQueueIsThereAgainAfterFailover() throws Exception {
        try (Connection c = viaProxy("").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue temp = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(temp);
            cutAndAwaitReconnect();
            s.createProducer(temp).send(s.createTextMessage("reply"));
            assertThat(text(consumer.receive(10_000))).isEqualTo("reply");
        }
    }

    @Test
    void aMessageListenerCarriesOnAfterACut() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = viaProxy("").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("listened");
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    got.add(text(m));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            MessageProducer p = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(q);
            p.send(s.createTextMessage("before"));
            await().atMost(WAIT).until(() -> got.contains("before"));
            cutAndAwaitReconnect();
            p.send(s.createTextMessage("after"));
            await().atMost(WAIT).until(() -> got.contains("after"));
        }
        assertThat(got).containsExactly("before", "after");
        assertThat(broker.broker().queueDepth("listened")).isZero();
    }

    @Test
    void aJmsContextFailsOverToo() throws Exception {
        try (JMSContext ctx = viaProxy("").createContext()) {
            Queue q = ctx.createQueue("context");
            var consumer = ctx.createConsumer(q);
            cutAndAwaitReconnect();
            ctx.createProducer().send(q, "via context");
            assertThat(consumer.receiveBody(String.class, 10_000)).isEqualTo("via context");
        }
    }

    @Test
    void aFailoverUriWorksFromJndi() throws Exception {
        java.util.Hashtable<String, Object> env = new java.util.Hashtable<>();
        env.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "io.tern.jms.jndi.TernInitialContextFactory");
        env.put("connectionFactory.FailoverFactory", "failover:(" + proxy.url("") + ")?initialReconnectDelay=10");
        javax.naming.InitialContext ctx = new javax.naming.InitialContext(env);
        try (Connection c = ((jakarta.jms.ConnectionFactory) ctx.lookup("FailoverFactory")).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("jndi");
            MessageConsumer consumer = s.createConsumer(q);
            cutAndAwaitReconnect();
            s.createProducer(q).send(s.createTextMessage("from jndi"));
            assertThat(text(consumer.receive(10_000))).isEqualTo("from jndi");
        } finally {
            ctx.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
