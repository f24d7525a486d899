package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.tern.broker.destination.RedeliveryPolicy;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.transaction.TransactionManager;
import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbound contract with a real Narayana transaction manager, a work manager and a real broker: XA delivery
 * committed and rolled back, locally transacted delivery, dead-lettering (the broker's policy and the adapter's
 * maxDeliveryAttempts), clean deactivation, reconnection after the broker restarts.
 */
@Timeout(180)
class InboundTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private TestBroker broker;
    private TestWorkManager work;
    private TernResourceAdapter ra;
    private TransactionManager tm;
    private final List<TestEndpointFactory> activated = new ArrayList<>();
    private final List<TernActivationSpec> specs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        tm = Narayana.start(dir.resolve("narayana"));
        work = new TestWorkManager();
    }

    private void startBroker(int port) {
        broker = TestBroker.start(dir.resolve("broker"), b -> b.port(port).store("journal")
                .queuePolicies(Map.of("poison", RedeliveryPolicy.DEFAULT.withMaxDeliveries(3))));
    }

    private void startAdapter() throws Exception {
        ra = new TernResourceAdapter();
        ra.setServerUrl(broker.url());
        ra.start(new TestBootstrapContext(work));
    }

    @AfterEach
    void stop() throws Exception {
        if (ra != null) {
            for (int i = 0; i < activated.size(); i++) {
                ra.endpointDeactivation(activated.get(i), specs.get(i));
            }
            ra.stop();
        }
        work.close();
        if (broker != null) {
            broker.close();
        }
    }

    private static TernActivationSpec queue(String name) {
        TernActivationSpec spec = new TernActivationSpec();
        spec.setDestination(name);
        spec.setDestinationType(TernActivationSpec.QUEUE);
        spec.setMaxSessions(2);
        spec.setReceiveTimeout(500L);
        spec.setReconnectInterval(200L);
        spec.setMaxReconnectInterval(1000L);
        return spec;
    }

    private TestEndpointFactory activate(TernActivationSpec spec, boolean transacted, TestEndpointFactory.Bean bean)
            throws Exception {
        TestEndpointFactory f = new TestEndpointFactory(tm, transacted, bean);
        spec.setResourceAdapter(ra);
        ra.endpointActivation(f, spec);
        activated.add(f);
        specs.add(spec);
        return f;
    }

    private void send(String queue, String... texts) throws Exception {
        try (Connection c = broker.client().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String t : texts) {
                p.send(s.createTextMessage(t));
            }
        }
    }

    private List<String> drain(String queue, long firstWaitMillis) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = broker.client().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m = consumer.receive(firstWaitMillis);
            while (m != null) {
                out.add(((TextMessage) m).getText());
                m = consumer.receive(500);
            }
        }
        return out;
    }

    @Test
    void xaDeliveriesCommitAndTheQueueEmpties() throws Exception {
        startBroker(0);
        startAdapter();
        TestEndpointFactory mdb = activate(queue("orders"), true, m -> { });
        send("orders", "1", "2", "3", "4", "5");

        await().atMost(WAIT).until(() -> mdb.committed.size() == 5);
        assertThat(mdb.committed).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
        await().atMost(WAIT).until(() -> broker.broker().queueDepth("orders") == 0);
        assertThat(mdb.attempts).hasSize(5);
    }

    @Test
    void aSlowMessageHoldsBackAtMostOneMessageBehindIt() throws Exception {
        startBroker(0);
        startAdapter();
        send("backlog", "slow", "1", "2", "3", "4", "5");
        CountDownLatch restDone = new CountDownLatch(4);
        TestEndpointFactory mdb = activate(queue("backlog"), true, m -> {
            if (TestEndpointFactory.text(m).equals("slow")) {
                // prefetch 1: the other session delivers all but the one message buffered behind this one
                if (!restDone.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the messages behind the slow one were not delivered");
                }
            } else {
                restDone.countDown();
            }
        });

        await().atMost(WAIT).until(() -> mdb.committed.size() == 6);
        assertThat(mdb.attempts).hasSize(6);
    }

    @Test
    void aRolledBackXaDeliveryIsDeliveredAgain() throws Exception {
        startBroker(0);
        startAdapter();
        TestEndpointFactory mdb = activate(queue("orders"), true, m -> {
            if (!m.getJMSRedelivered()) {
                throw new IllegalStateException("first delivery fails");
            }
        });
        send("orders", "a", "b");

        await().atMost(WAIT).until(() -> mdb.committed.size() == 2);
        assertThat(mdb.committed).containsExactlyInAnyOrder("a", "b");
        assertThat(mdb.attempts).hasSize(4);
        assertThat(drain("orders", 500)).isEmpty();
    }

    @Test
    void aLocallyTransactedDeliveryThatThrowsIsDeliveredAgain() throws Exception {
        startBroker(0);
        startAdapter();
        TestEndpointFactory mdb = activate(queue("orders"), false, m -> {
            if (m.getIntProperty("JMSXDeliveryCount") < 2) {
                throw new IllegalStateException("first delivery fails");
            }
        });
        send("orders", "x");

        await().atMost(WAIT).until(() -> mdb.committed.size() == 1);
        assertThat(mdb.attempts).containsExactly("x", "x");
        assertThat(drain("orders", 500)).isEmpty();
    }

    @Test
    void aMessageThatKeepsFailingGoesToTheBrokersDeadLetterQueue() throws Exception {
        startBroker(0);
        startAdapter();
        TestEndpointFactory mdb = activate(queue("poison"), true, m -> {
            throw new IllegalStateException("always fails");
        });
        send("poison", "bad");

        assertThat(drain("DLQ", 60_000)).containsExactly("bad");
        assertThat(mdb.attempts).containsExactly("bad", "bad", "bad");
        assertThat(mdb.committed).isEmpty();
    }

    @Test
    void maxDeliveryAttemptsMovesTheMessageToTheAdaptersDeadLetterQueue() throws Exception {
        startBroker(0);
        startAdapter();
        TernActivationSpec spec = queue("fragile");
        spec.setMaxDeliveryAttempts(2);
        spec.setDeadLetterQueue("fragile.DLQ");
        TestEndpointFactory mdb = activate(spec, true, m -> {
            throw new IllegalStateException("always fails");
        });
        send("fragile", "bad");

        assertThat(drain("fragile.DLQ", 60_000)).containsExactly("bad");
        assertThat(mdb.attempts).containsExactly("bad", "bad");
        assertThat(drain("fragile", 500)).isEmpty();
    }

    @Test
    void deactivationFinishesTheDeliveriesUnderWayAndLeavesTheRestOnTheQueue() throws Exception {
        startBroker(0);
        startAdapter();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        TernActivationSpec spec = queue("backlog");
        TestEndpointFactory mdb = activate(spec, true, m -> {
            inside.countDown();
            proceed.await(30, TimeUnit.SECONDS);
        });
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add("m" + i);
        }
        send("backlog", texts.toArray(new String[0]));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        Thread undeploy = new Thread(() -> ra.endpointDeactivation(mdb, spec));
        undeploy.start();
        proceed.countDown();
        undeploy.join(90_000);
        assertThat(undeploy.isAlive()).isFalse();
        activated.remove(mdb);
        specs.remove(spec);

        assertThat(mdb.released.get()).isEqualTo(mdb.created.get());
        List<String> left = drain("backlog", 10_000);
        assertThat(mdb.committed.size() + left.size()).isEqualTo(20);
        List<String> all = new ArrayList<>(mdb.committed);
        all.addAll(left);
        assertThat(all).containsExactlyInAnyOrderElementsOf(texts);
    }

    private void publish(String topic, String text) throws Exception {
        try (Connection c = broker.client().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createTopic(topic)).send(s.createTextMessage(text));
        }
    }

    @Test
    void aDurableTopicSubscriptionKeepsMessagesWhileTheBeanIsUndeployed() throws Exception {
        startBroker(0);
        startAdapter();
        TernActivationSpec spec = queue("prices");
        spec.setDestinationType(TernActivationSpec.TOPIC);
        spec.setSubscriptionDurability(TernActivationSpec.DURABLE);
        spec.setSubscriptionName("audit");
        spec.setClientId("audit-mdb");
        TestEndpointFactory mdb = activate(spec, true, m -> { });
        int[] ping = {0};
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            publish("prices", "ping-" + ping[0]++);
            return !mdb.committed.isEmpty();
        });
        ra.endpointDeactivation(mdb, spec);
        activated.remove(mdb);
        specs.remove(spec);

        publish("prices", "while undeployed");
        TestEndpointFactory again = activate(spec, true, m -> { });
        await().atMost(WAIT).until(() -> again.committed.contains("while undeployed"));
    }

    @Test
    void destinationLookupAndConnectionFactoryLookupAreWhatTheBeanReceivesFrom() throws Exception {
        startBroker(0);
        // The adapter's own ServerUrl leads nowhere: only the looked-up connection factory knows the broker.
        ra = new TernResourceAdapter();
        ra.setServerUrl("tcp://127.0.0.1:1");
        ra.start(new TestBootstrapContext(work));
        AdminQueue audit = new AdminQueue();
        audit.setPhysicalName("audit");
        TestNaming.bind("java:/jms/queue/Audit", audit);
        TestNaming.bind("java:/AuditConnectionFactory", broker.client());
        try {
            TernActivationSpec spec = queue(null);
            spec.setDestinationType(null);
            spec.setDestinationLookup("java:/jms/queue/Audit");
            spec.setConnectionFactoryLookup("java:/AuditConnectionFactory");
            TestEndpointFactory mdb = activate(spec, true, m -> { });
            send("audit", "looked up");
            await().atMost(WAIT).until(() -> mdb.committed.contains("looked up"));
        } finally {
            TestNaming.unbind("java:/jms/queue/Audit");
            TestNaming.unbind("java:/AuditConnectionFactory");
        }
    }

    @Test
    void aLookupNameThatIsNotBoundFailsTheActivationNamingTheProperty() throws Exception {
        startBroker(0);
        startAdapter();
        TestNaming.bind("java:/NotAFactory", "just a string");
        try {
            TernActivationSpec wrongDestination = queue(null);
            wrongDestination.setDestinationLookup("java:/jms/queue/Nowhere");
            assertLookupRefused(wrongDestination, "destinationLookup", "java:/jms/queue/Nowhere");

            TernActivationSpec wrongFactory = queue("orders");
            wrongFactory.setConnectionFactoryLookup("java:/NoSuchFactory");
            assertLookupRefused(wrongFactory, "connectionFactoryLookup", "java:/NoSuchFactory");

            TernActivationSpec notAFactory = queue("orders");
            notAFactory.setConnectionFactoryLookup("java:/NotAFactory");
            assertLookupRefused(notAFactory, "connectionFactoryLookup", "not a Tern connection factory");

            TernActivationSpec notADestination = queue(null);
            notADestination.setDestinationLookup("java:/NotAFactory");
            assertLookupRefused(notADestination, "destinationLookup", "not a jakarta.jms.Destination");
        } finally {
            TestNaming.unbind("java:/NotAFactory");
        }
    }

    private void assertLookupRefused(TernActivationSpec spec, String property, String mentioned)
            throws Exception {
        spec.setResourceAdapter(ra);
        TestEndpointFactory f = new TestEndpointFactory(tm, true, m -> { });
        InvalidPropertyException e = catchThrowableOfType(InvalidPropertyException.class,
                () -> ra.endpointActivation(f, spec));
        assertThat(e).as(property).isNotNull().hasMessageContaining("TERN-R0218").hasMessageContaining(property)
                .hasMessageContaining(mentioned);
        assertThat(e.getInvalidPropertyDescriptors()).extracting(PropertyDescriptor::getName)
                .containsExactly(property);
    }

    @Test
    void theActivationReconnectsWhenTheBrokerComesBack() throws Exception {
        startBroker(0);
        int port = broker.port();
        startAdapter();
        TestEndpointFactory mdb = activate(queue("orders"), true, m -> { });
        send("orders", "before");
        await().atMost(WAIT).until(() -> mdb.committed.contains("before"));

        broker.close();
        startBroker(port);
        send("orders", "after");

        await().atMost(WAIT).until(() -> mdb.committed.contains("after"));
        assertThat(drain("orders", 500)).isEmpty();
    }

    @Test
    void aPersistentMessageSentWhileTheBrokerWasAwayIsDeliveredAfterTheRestart() throws Exception {
        startBroker(0);
        int port = broker.port();
        startAdapter();
        TestEndpointFactory mdb = activate(queue("orders"), true, m -> { });
        await().atMost(WAIT).until(() -> ra.activationCount() == 1);

        broker.close();
        startBroker(port);
        // stop again before the adapter is back, with a message stored in the journal
        send("orders", "stored");
        broker.close();
        startBroker(port);

        await().atMost(WAIT).until(() -> mdb.committed.contains("stored"));
    }
}
