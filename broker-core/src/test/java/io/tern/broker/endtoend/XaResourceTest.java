package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.XaTesting.expectXa;
import static io.tern.broker.endtoend.XaTesting.put;
import static io.tern.broker.endtoend.XaTesting.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.wire.WireXid;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's XA objects against an in-JVM broker: the XAResource contract (every method, every error code a
 * transaction manager relies on) and a message moved from one queue to another in one global transaction. Timeouts
 * (XA_RBTIMEOUT) are in {@link XaTimeoutTest}, heuristic outcomes (XA_HEURCOM, XA_HEURRB) in {@link XaHeuristicTest},
 * the codes the broker never sends (XA_HEURMIX, XA_HEURHAZ) in the client's XaResourcePeerTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XaResourceTest {
    private static final AtomicInteger GTRID = new AtomicInteger();

    @TempDir
    Path dataDir;
    private TestBroker broker;
    private TernXAConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
        factory = new TernXAConnectionFactory(broker.tcpUrl());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    static Xid newXid() {
        return new WireXid(0x7e57, ("g" + GTRID.incrementAndGet()).getBytes(), new byte[] {1});
    }



    /** In one branch: receives the message of "in" and sends its reply to "out"; the branch is ended. */
    private void move(XASession session, Xid xid) throws Exception {
        XAResource r = session.getXAResource();
        r.start(xid, XAResource.TMNOFLAGS);
        assertThat(session.getTransacted()).isTrue();
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        TextMessage m = (TextMessage) consumer.receive(5000);
        assertThat(m.getText()).isEqualTo("order");
        session.createProducer(session.createQueue("out")).send(session.createTextMessage("reply to " + m.getText()));
        consumer.close();
        r.end(xid, XAResource.TMSUCCESS);
        assertThat(session.getTransacted()).isFalse();
    }


    @Test
    void aTwoPhaseCommitMovesTheMessage() throws Exception {
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            Xid xid = newXid();
            move(session, xid);
            XAResource r = session.getXAResource();
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).containsExactly(xid);
            assertThat(broker.broker().queueDepth("out")).isZero();
            r.commit(xid, false);
        }
        assertThat(((TextMessage) receive(factory, "out", 1000)).getText()).isEqualTo("reply to order");
        assertThat(receive(factory, "out", 1000)).as("delivered once").isNull();
        assertThat(receive(factory, "in", 1000)).as("the received message is gone").isNull();
    }

    @Test
    void aRolledBackTransactionReturnsTheMessageRedeliveredAndSendsNothing() throws Exception {
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            Xid xid = newXid();
            move(session, xid);
            XAResource r = session.getXAResource();
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
            r.rollback(xid);
        }
        Message back = receive(factory, "in", 1000);
        assertThat(((TextMessage) back).getText()).isEqualTo("order");
        assertThat(back.getJMSRedelivered()).isTrue();
        assertThat(back.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(receive(factory, "out", 1000)).isNull();
    }

    @Test
    void aOnePhaseCommitMovesTheMessage() throws Exception {
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            Xid xid = newXid();
            move(session, xid);
            session.getXAResource().commit(xid, true);
        }
        assertThat(((TextMessage) receive(factory, "out", 1000)).getText()).isEqualTo("reply to order");
        assertThat(receive(factory, "in", 1000)).isNull();
    }

    @Test
    void aPreparedBranchIsCommittedFromAnotherConnection() throws Exception {
        put(factory, "in", "order");
        Xid xid = newXid();
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            move(session, xid);
            session.getXAResource().prepare(xid);
        }
        try (XAConnection c = factory.createXAConnection()) {
            XAResource r = c.createXASession().getXAResource();
            assertThat(r.recover(XAResource.TMSTARTRSCAN)).containsExactly(xid);
            assertThat(r.recover(XAResource.TMNOFLAGS)).isEmpty();
            assertThat(r.recover(XAResource.TMENDRSCAN)).isEmpty();
            r.commit(xid, false);
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
        }
        assertThat(((TextMessage) receive(factory, "out", 1000)).getText()).isEqualTo("reply to order");
    }

    @Test
    void everyMethodAnswersWithTheErrorCodeJtaExpects() throws Exception {
        try (XAConnection c = factory.createXAConnection()) {
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            Xid xid = newXid();
            Xid unknown = newXid();
            expectXa(XAException.XAER_INVAL, () -> r.start(null, XAResource.TMNOFLAGS));
            expectXa(XAException.XAER_INVAL, () -> r.start(new Xid() {
                public int getFormatId() {
                    return 1;
                }

                public byte[] getGlobalTransactionId() {
                    return new byte[65];
                }

                public byte[] getBranchQualifier() {
                    return new byte[0];
                }
            }, XAResource.TMNOFLAGS));
            expectXa(XAException.XAER_NOTA, () -> r.start(unknown, XAResource.TMJOIN));
            expectXa(XAException.XAER_NOTA, () -> r.start(unknown, XAResource.TMRESUME));
            expectXa(XAException.XAER_INVAL, () -> r.start(xid, XAResource.TMSUCCESS));
            r.start(xid, XAResource.TMNOFLAGS);
            expectXa(XAException.XAER_PROTO, () -> r.start(xid, XAResource.TMJOIN));
            XAResource other = c.createXASession().getXAResource();
            expectXa(XAException.XAER_DUPID, () -> other.start(xid, XAResource.TMNOFLAGS));
            expectXa(XAException.XAER_PROTO, () -> r.prepare(xid));
            expectXa(XAException.XAER_PROTO, () -> r.commit(xid, true));
            expectXa(XAException.XAER_PROTO, () -> r.rollback(xid));
            expectXa(XAException.XAER_NOTA, () -> r.end(unknown, XAResource.TMSUCCESS));
            expectXa(XAException.XAER_PROTO, () -> other.end(xid, XAResource.TMSUCCESS));
            expectXa(XAException.XAER_INVAL, () -> r.end(xid, XAResource.TMJOIN));
            r.end(xid, XAResource.TMSUSPEND);
            expectXa(XAException.XAER_PROTO, () -> other.start(xid, XAResource.TMRESUME));
            r.start(xid, XAResource.TMRESUME);
            r.end(xid, XAResource.TMSUCCESS);
            other.start(xid, XAResource.TMJOIN);
            other.end(xid, XAResource.TMSUCCESS);
            expectXa(XAException.XAER_PROTO, () -> r.commit(xid, false));
            assertThat(r.prepare(xid)).as("did nothing").isEqualTo(XAResource.XA_RDONLY);
            expectXa(XAException.XAER_NOTA, () -> r.commit(xid, false));
            expectXa(XAException.XAER_NOTA, () -> r.rollback(unknown));
            expectXa(XAException.XAER_NOTA, () -> r.prepare(unknown));
            expectXa(XAException.XAER_NOTA, () -> r.forget(unknown));
            expectXa(XAException.XAER_INVAL, () -> r.recover(0x1));

            Xid failed = newXid();
            r.start(failed, XAResource.TMNOFLAGS);
            session.createProducer(session.createQueue("out")).send(session.createTextMessage("never"));
            r.end(failed, XAResource.TMFAIL);
            expectXa(XAException.XA_RBROLLBACK, () -> r.commit(failed, true));
            expectXa(XAException.XAER_NOTA, () -> r.rollback(failed));
            assertThat(broker.broker().queueDepth("out")).isZero();

            assertThat(r.isSameRM(other)).isTrue();
            assertThat(r.isSameRM(null)).isFalse();
            assertThat(r.getTransactionTimeout()).isZero();
            assertThat(r.setTransactionTimeout(30)).isTrue();
            assertThat(r.getTransactionTimeout()).isEqualTo(30);
            expectXa(XAException.XAER_INVAL, () -> r.setTransactionTimeout(-1));
        }
    }

    @Test
    void aSessionClosedInsideItsBranchLeavesTheBranchToTheTransactionManager() throws Exception {
        put(factory, "in", "order");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            XAResource r = session.getXAResource();
            Xid xid = newXid();
            r.start(xid, XAResource.TMNOFLAGS);
            assertThat(session.createConsumer(session.createQueue("in")).receive(5000)).isNotNull();
            session.createProducer(session.createQueue("out")).send(session.createTextMessage("reply"));
            session.close();
            r.end(xid, XAResource.TMSUCCESS);
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
            r.commit(xid, false);
        }
        assertThat(((TextMessage) receive(factory, "out", 1000)).getText()).isEqualTo("reply");
        assertThat(receive(factory, "in", 1000)).isNull();
    }

    @Test
    void aLostConnectionIsRmfail() throws Exception {
        XAConnection c = factory.createXAConnection();
        XAResource r = c.createXASession().getXAResource();
        Xid xid = newXid();
        r.start(xid, XAResource.TMNOFLAGS);
        broker.close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                expectXa(XAException.XAER_RMFAIL, () -> r.end(xid, XAResource.TMSUCCESS)));
        expectXa(XAException.XAER_RMFAIL, () -> r.recover(XAResource.TMSTARTRSCAN));
        expectXa(XAException.XAER_RMFAIL, () -> r.start(newXid(), XAResource.TMNOFLAGS));
        expectXa(XAException.XAER_RMFAIL, () -> r.prepare(xid));
        expectXa(XAException.XAER_RMFAIL, () -> r.commit(xid, false));
        expectXa(XAException.XAER_RMFAIL, () -> r.commit(xid, true));
        expectXa(XAException.XAER_RMFAIL, () -> r.rollback(xid));
        expectXa(XAException.XAER_RMFAIL, () -> r.forget(xid));
        c.close();
    }

    @Test
    void outsideAGlobalTransactionAnXaSessionSendsAndAcknowledgesAtOnce() throws Exception {
        put(factory, "in", "plain");
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            assertThat(session.getTransacted()).isFalse();
            assertThat(session.getSession()).isSameAs(session);
            assertThatThrownBy(session::commit).isInstanceOf(TransactionInProgressException.class);
            assertThatThrownBy(session::rollback).isInstanceOf(TransactionInProgressException.class);
            session.createProducer(session.createQueue("out")).send(session.createTextMessage("now"));
            assertThat(broker.broker().queueDepth("out")).isEqualTo(1);
            MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
            assertThat(consumer.receive(5000)).isNotNull();
            consumer.close();
        }
        assertThat(receive(factory, "in", 1000)).as("acknowledged on receipt").isNull();
    }

    @Test
    void theFactoryMakesEveryKindOfXaObject() throws Exception {
        try (XAQueueConnection q = factory.createXAQueueConnection();
             XATopicConnection t = factory.createXATopicConnection()) {
            assertThat(q.createXAQueueSession().getQueueSession()).isNotNull();
            assertThat(t.createXATopicSession().getTopicSession()).isNotNull();
            assertThat(q.createQueueSession(false, Session.AUTO_ACKNOWLEDGE)).isNotInstanceOf(XASession.class);
        }
        try (Connection plain = factory.createConnection()) {
            assertThat(plain).isNotInstanceOf(XAConnection.class);
        }
        put(factory, "in", "ctx");
        try (XAJMSContext ctx = factory.createXAContext()) {
            assertThat(ctx.getContext()).isSameAs(ctx);
            XAResource r = ctx.getXAResource();
            Xid xid = newXid();
            r.start(xid, XAResource.TMNOFLAGS);
            assertThat(ctx.getTransacted()).isTrue();
            assertThat(ctx.createConsumer(ctx.createQueue("in")).receiveBody(String.class, 5000)).isEqualTo("ctx");
            ctx.createProducer().send(ctx.createQueue("out"), "from a context");
            assertThatThrownBy(ctx::commit).isInstanceOf(TransactionInProgressRuntimeException.class);
            assertThatThrownBy(ctx::rollback).isInstanceOf(TransactionInProgressRuntimeException.class);
            r.end(xid, XAResource.TMSUCCESS);
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
            r.commit(xid, false);
        }
        assertThat(((TextMessage) receive(factory, "out", 1000)).getText()).isEqualTo("from a context");
        assertThat(receive(factory, "in", 1000)).isNull();
        assertThat(JMSContext.AUTO_ACKNOWLEDGE).isEqualTo(1);
    }
}
