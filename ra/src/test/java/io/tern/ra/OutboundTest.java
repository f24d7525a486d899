package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.destination.TernQueue;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TransactionInProgressException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.security.PasswordCredential;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound contract with a real Narayana transaction manager and a real broker: a connection manager that
 * pools and enlists as a server does, sends committed and rolled back, local transactions, matching, the error
 * event on broker loss, and the Jakarta EE restrictions of the handles.
 */
@Timeout(120)
class OutboundTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestBroker broker;
    private TestWorkManager work;
    private TernResourceAdapter ra;
    private TernManagedConnectionFactory mcf;
    private TestConnectionManager cm;
    private TransactionManager tm;
    private ConnectionFactory cf;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dir.resolve("broker"), b -> b.users(Map.of("alice", "a-pw", "bob", "b-pw")));
        tm = Narayana.start(dir.resolve("narayana"));
        work = new TestWorkManager();
        ra = new TernResourceAdapter();
        ra.setServerUrl(broker.url());
        ra.setUserName("alice");
        ra.setPassword("a-pw");
        ra.start(new TestBootstrapContext(work));
        mcf = new TernManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        cm = new TestConnectionManager(tm);
        cf = (ConnectionFactory) mcf.createConnectionFactory(cm);
    }

    @AfterEach
    void stop() throws Exception {
        if (tm.getTransaction() != null) {
            tm.rollback();
        }
        cm.close();
        ra.stop();
        work.close();
        broker.close();
    }

    private void send(String queue, String text) throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.send(s.createTextMessage(text));
        }
    }

    /** What a plain client (outside the adapter) receives from {@code queue}, or null after {@code millis}. */
    private String receivePlain(String queue, long millis) throws Exception {
        try (Connection c = broker.client().createConnection("alice", "a-pw")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue(queue)).receive(millis);
            return m == null ? null : ((TextMessage) m).getText();
        }
    }

    @Test
    void aSendInACommittedJtaTransactionReachesTheQueueOnlyAtCommit() throws Exception {
        tm.begin();
        send("orders", "committed");
        assertThat(broker.broker().queueDepth("orders")).isZero();
        tm.commit();

        assertThat(receivePlain("orders", 10_000)).isEqualTo("committed");
        assertThat(cm.created.get()).isEqualTo(1);
        await().atMost(WAIT).until(() -> cm.idle.size() == 1);
    }

    @Test
    void aSendInARolledBackJtaTransactionIsDropped() throws Exception {
        tm.begin();
        send("orders", "rolled back");
        tm.rollback();
        send("orders", "outside a transaction");

        assertThat(receivePlain("orders", 10_000)).isEqualTo("outside a transaction");
        assertThat(receivePlain("orders", 500)).isNull();
    }

    @Test
    void aReceiveInARolledBackJtaTransactionLeavesTheMessageOnTheQueue() throws Exception {
        send("work", "job");
        tm.begin();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("work")).receive(10_000);
            assertThat(((TextMessage) m).getText()).isEqualTo("job");
        }
        tm.rollback();

        assertThat(receivePlain("work", 10_000)).isEqualTo("job");
    }

    @Test
    void aJmsContextSendsInTheJtaTransaction() throws Exception {
        tm.begin();
        try (JMSContext ctx = cf.createContext()) {
            ctx.createProducer().setProperty("kind", "ctx").send(ctx.createQueue("ctx"), "one");
            assertThat(ctx.getTransacted()).isTrue();
            assertThatThrownBy(ctx::commit).isInstanceOf(jakarta.jms.TransactionInProgressRuntimeException.class);
        }
        tm.commit();
        tm.begin();
        try (JMSContext ctx = cf.createContext()) {
            ctx.createProducer().send(ctx.createQueue("ctx"), "two");
        }
        tm.rollback();

        assertThat(receivePlain("ctx", 10_000)).isEqualTo("one");
        assertThat(receivePlain("ctx", 500)).isNull();
    }

    @Test
    void aLocalTransactionCommitsAndRollsBackTheSessionsWork() throws Exception {
        ManagedConnection mc = mcf.createManagedConnection(null, null);
        try {
            LocalTransaction lt = mc.getLocalTransaction();
            Connection c = (Connection) mc.getConnection(null, null);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("local"));

            lt.begin();
            p.send(s.createTextMessage("rolled back"));
            assertThat(s.getTransacted()).isTrue();
            lt.rollback();
            lt.begin();
            p.send(s.createTextMessage("committed"));
            assertThat(broker.broker().queueDepth("local")).isZero();
            lt.commit();
            assertThat(s.getTransacted()).isFalse();
            c.close();
        } finally {
            mc.destroy();
        }
        assertThat(receivePlain("local", 10_000)).isEqualTo("committed");
        assertThat(receivePlain("local", 500)).isNull();
    }

    @Test
    void outsideATransactionTheSessionSendsAtOnceAndIsNotTransacted() throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(s.getTransacted()).isFalse();
            assertThat(s.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("plain")).send(s.createTextMessage("now"));
            assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class);
            assertThat(receivePlain("plain", 10_000)).isEqualTo("now");
        }
    }

    @Test
    void insideAJtaTransactionTheSessionArgumentsAreIgnored() throws Exception {
        tm.begin();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            assertThat(s.getTransacted()).isTrue();
            assertThat(s.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
            assertThatThrownBy(s::commit).isInstanceOf(TransactionInProgressException.class);
            assertThatThrownBy(s::rollback).isInstanceOf(TransactionInProgressException.class);
        }
        tm.commit();
    }

    @Test
    void handlesFollowTheJakartaEeRestrictions() throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            assertThatThrownBy(() -> c.createSession()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only one session");
            assertThatThrownBy(() -> c.setClientID("x")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> c.setExceptionListener(e -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(c::stop).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> c.createConnectionConsumer(s.createQueue("q"), null, null, 1))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(s::getMessageListener).isInstanceOf(IllegalStateException.class);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            assertThatThrownBy(() -> consumer.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);
            s.close();
            c.createSession().close();
        }
        try (JMSContext ctx = cf.createContext()) {
            assertThatThrownBy(() -> ctx.setClientID("x")).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(ctx::stop).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> ctx.setExceptionListener(e -> { }))
                    .isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> ctx.createConsumer(ctx.createQueue("q")).setMessageListener(m -> { }))
                    .isInstanceOf(IllegalStateRuntimeException.class);
        }
        Connection closed = cf.createConnection();
        closed.close();
        assertThatThrownBy(closed::createSession).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFactoryIsAlsoAQueueAndTopicConnectionFactoryAndAdminQueuesWork() throws Exception {
        assertThat(cf).isInstanceOf(QueueConnectionFactory.class).isInstanceOf(TopicConnectionFactory.class);
        Queue admin = new AdminQueue("admin.q");
        try (Connection c = ((QueueConnectionFactory) cf).createQueueConnection()) {
            Session s = c.createSession();
            TextMessage m = s.createTextMessage("via admin object");
            m.setJMSReplyTo(new AdminQueue("replies"));
            s.createProducer(admin).send(m);
        }
        try (Connection c = broker.client().createConnection("alice", "a-pw")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("admin.q")).receive(10_000);
            assertThat(((TextMessage) m).getText()).isEqualTo("via admin object");
            assertThat(m.getJMSReplyTo()).isEqualTo(new TernQueue("replies"));
        }
    }

    @Test
    void pooledConnectionsAreMatchedOnCredentials() throws Exception {
        try (Connection c = cf.createConnection("bob", "b-pw")) {
            c.createSession().createProducer(null);
        }
        try (Connection c = cf.createConnection("bob", "b-pw")) {
            c.createSession();
        }
        assertThat(cm.created.get()).isEqualTo(1);
        try (Connection c = cf.createConnection()) {
            c.createSession();
        }
        assertThat(cm.created.get()).as("alice (the adapter's user) needs a connection of her own").isEqualTo(2);

        Set<ManagedConnection> pool = Set.copyOf(cm.idle);
        ManagedConnection bob = mcf.matchManagedConnections(pool, null, new TernConnectionRequestInfo("bob", "b-pw"));
        ManagedConnection alice = mcf.matchManagedConnections(pool, null, null);
        assertThat(bob).isNotNull().isNotSameAs(alice);
        assertThat(bob.getMetaData().getUserName()).isEqualTo("bob");
        assertThat(alice.getMetaData().getUserName()).isEqualTo("alice");
        assertThat(mcf.matchManagedConnections(pool, null, new TernConnectionRequestInfo("bob", "other"))).isNull();

        Subject subject = new Subject();
        PasswordCredential credential = new PasswordCredential("bob", "b-pw".toCharArray());
        credential.setManagedConnectionFactory(mcf);
        subject.getPrivateCredentials().add(credential);
        assertThat(mcf.matchManagedConnections(pool, subject, null)).isSameAs(bob);
        TernManagedQueueConnectionFactory other = new TernManagedQueueConnectionFactory();
        other.setResourceAdapter(ra);
        assertThat(other.matchManagedConnections(pool, null, null)).as("another connection definition's pool")
                .isNull();
    }

    @Test
    void temporaryQueuesEndWithTheHandleNotWithThePooledConnection() throws Exception {
        jakarta.jms.TemporaryQueue temp;
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            temp = s.createTemporaryQueue();
            s.createProducer(temp).send(s.createTextMessage("to a temporary queue"));
        }
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            assertThatThrownBy(() -> s.createProducer(temp).send(s.createTextMessage("too late")))
                    .isInstanceOf(jakarta.jms.JMSException.class);
        }
        assertThat(cm.created.get()).isEqualTo(1);
    }

    @Test
    void wrongCredentialsAreRefused() {
        assertThatThrownBy(() -> cf.createConnection("bob", "wrong")).isInstanceOf(jakarta.jms.JMSException.class);
        assertThat(cm.created.get()).isZero();
    }

    @Test
    void losingTheBrokerRaisesAConnectionErrorEventAndThePoolDropsTheConnection() throws Exception {
        Connection c = cf.createConnection();
        Session s = c.createSession();
        broker.close();

        await().atMost(WAIT).until(() -> !cm.errors.isEmpty());
        ConnectionEvent e = cm.errors.get(0);
        assertThat(e.getId()).isEqualTo(ConnectionEvent.CONNECTION_ERROR_OCCURRED);
        assertThat(e.getException()).isNotNull();
        assertThat(cm.destroyed).contains((ManagedConnection) e.getSource());
        assertThatThrownBy(() -> s.createQueue("q")).isInstanceOf(IllegalStateException.class);
        c.close();
        assertThat(cm.idle).isEmpty();
    }
}
