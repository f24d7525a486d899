package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.XaTesting.expectXa;
import static io.tern.broker.endtoend.XaTesting.put;
import static io.tern.broker.endtoend.XaTesting.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction timeouts of XA branches against a real broker: a branch not prepared in time is rolled back by the
 * broker (its consumed messages come back redelivered, its sends are dropped) and the transaction manager then gets
 * XA_RBTIMEOUT; a prepared branch never times out.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class XaTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private TestBroker broker;
    private TernXAConnectionFactory factory;

    private void start(int defaultTimeoutSeconds) throws Exception {
        broker = TestBroker.start(dataDir, b -> b.xaDefaultTimeoutSeconds(defaultTimeoutSeconds));
        factory = new TernXAConnectionFactory(broker.tcpUrl());
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }




    /** Messages of the queue waiting for a consumer (not in flight, not held by a branch). */
    private int pending(String queue) {
        return broker.broker().queueStats(queue).orElseThrow().pending();
    }

    /** In branch {@code xid}: takes the message of "in" and sends a reply to "out"; the session stays associated. */
    private static void work(XASession session, Xid xid) throws Exception {
        session.getXAResource().start(xid, XAResource.TMNOFLAGS);
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        assertThat(consumer.receive(5000)).isNotNull();
        session.createProducer(session.createQueue("out")).send(session.createTextMessage("reply"));
        consumer.close();
    }

    @Test
    void theTimeoutIsTheResourcesAndZeroRestoresTheDefault() throws Exception {
        start(300);
        try (XAConnection c = factory.createXAConnection()) {
            XAResource r = c.createXASession().getXAResource();
            assertThat(r.getTransactionTimeout()).as("none set: the broker's default applies").isZero();
            assertThat(r.setTransactionTimeout(42)).isTrue();
            assertThat(r.getTransactionTimeout()).isEqualTo(42);
            assertThat(r.setTransactionTimeout(0)).isTrue();
            assertThat(r.getTransactionTimeout()).isZero();
            expectXa(XAException.XAER_INVAL, () -> r.setTransactionTimeout(-1));
            assertThat(r.getTransactionTimeout()).isZero();
        }
    }

    @Test
    void anEndedBranchNotPreparedInTimeIsRolledBackAndPrepareIsRbtimeout() throws Exception {
        start(0);
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            r.setTransactionTimeout(1);
            Xid xid = XaResourceTest.newXid();
            work(session, xid);
            r.end(xid, XAResource.TMSUCCESS);
            // the broker gives the consumed message back when it rolls the branch back
            await().atMost(WAIT).until(() -> pending("in") == 1);
            expectXa(XAException.XA_RBTIMEOUT, () -> r.prepare(xid));
            expectXa(XAException.XAER_NOTA, () -> r.rollback(xid));
        }
        Message back = receive(factory, "in", 5000);
        assertThat(((TextMessage) back).getText()).isEqualTo("order");
        assertThat(back.getJMSRedelivered()).isTrue();
        assertThat(receive(factory, "out", 200)).as("the branch's send is dropped").isNull();
    }

    @Test
    void theBrokersDefaultTimeoutRollsBackAndCommitIsRbtimeout() throws Exception {
        start(1);
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            Xid onePhase = XaResourceTest.newXid();
            work(session, onePhase);
            r.end(onePhase, XAResource.TMSUCCESS);
            await().atMost(WAIT).until(() -> pending("in") == 1);
            expectXa(XAException.XA_RBTIMEOUT, () -> r.commit(onePhase, true));
            expectXa(XAException.XAER_NOTA, () -> r.commit(onePhase, true));
        }
        assertThat(receive(factory, "out", 200)).isNull();
        assertThat(receive(factory, "in", 5000).getJMSRedelivered()).isTrue();
    }

    @Test
    void aSessionStillInATimedOutBranchCannotSendAndItsEndIsRbtimeout() throws Exception {
        start(0);
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            r.setTransactionTimeout(1);
            Xid xid = XaResourceTest.newXid();
            work(session, xid);
            XAResource other = c.createXASession().getXAResource();
            await().atMost(WAIT).until(() -> pending("in") == 1);
            MessageProducer producer = session.createProducer(session.createQueue("out"));
            assertThatThrownBy(() -> producer.send(session.createTextMessage("late")))
                    .isInstanceOf(TransactionRolledBackException.class).hasMessageContaining("XA_RBTIMEOUT");
            expectXa(XAException.XA_RBTIMEOUT, () -> other.start(xid, XAResource.TMJOIN));
            expectXa(XAException.XAER_DUPID, () -> other.start(xid, XAResource.TMNOFLAGS));
            expectXa(XAException.XA_RBTIMEOUT, () -> r.end(xid, XAResource.TMSUCCESS));
            assertThat(session.getTransacted()).as("the association ended").isFalse();
            r.rollback(xid);
            expectXa(XAException.XAER_NOTA, () -> r.rollback(xid));
            producer.send(session.createTextMessage("outside a branch"));
        }
        assertThat(((TextMessage) receive(factory, "out", 5000)).getText()).isEqualTo("outside a branch");
        assertThat(receive(factory, "out", 200)).isNull();
        assertThat(receive(factory, "in", 5000).getJMSRedelivered()).isTrue();
    }

    @Test
    void aPreparedBranchNeverTimesOut() throws Exception {
        start(0);
        put(factory, "in", "first");
        put(factory, "in", "second");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            r.setTransactionTimeout(1);
            Xid prepared = XaResourceTest.newXid();
            work(session, prepared);
            r.end(prepared, XAResource.TMSUCCESS);
            assertThat(r.prepare(prepared)).isEqualTo(XAResource.XA_OK);
            // a later branch with the same timeout, left unprepared: once it has timed out, so would the first
            Xid later = XaResourceTest.newXid();
            work(session, later);
            r.end(later, XAResource.TMSUCCESS);
            await().atMost(WAIT).until(() -> pending("in") == 1);
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).containsExactly(prepared);
            r.commit(prepared, false);
            expectXa(XAException.XA_RBTIMEOUT, () -> r.prepare(later));
        }
        assertThat(((TextMessage) receive(factory, "out", 5000)).getText()).isEqualTo("reply");
        assertThat(receive(factory, "out", 200)).as("the later branch's reply is dropped").isNull();
        assertThat(((TextMessage) receive(factory, "in", 5000)).getText()).isEqualTo("second");
    }
}
