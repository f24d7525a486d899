package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.XaTesting.expectXa;
import static io.tern.broker.endtoend.XaTesting.put;
import static io.tern.broker.endtoend.XaTesting.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.management.BrokerControl;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.wire.WireXid;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators and in-doubt branches, through the broker's JMX control as jconsole uses it: listing every prepared
 * branch with what it holds, committing or rolling one back by hand, and the heuristic outcome the transaction
 * manager then gets (XA_HEURCOM, XA_HEURRB) until it forgets the branch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XaHeuristicTest {
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dataDir;
    private TestBroker broker;
    private TernXAConnectionFactory factory;
    private ObjectName control;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
        factory = new TernXAConnectionFactory(broker.tcpUrl());
        control = BrokerControl.objectName(broker.broker().config().name());
    }

    @AfterEach
    void stop() {
        broker.close();
    }


    private String[] inDoubt() throws Exception {
        return (String[]) jmx.invoke(control, "describeInDoubtBranches", new Object[0], new String[0]);
    }

    private String decide(String operation, String xid) throws Exception {
        return (String) jmx.invoke(control, operation, new Object[] {xid}, new String[] {String.class.getName()});
    }



    /** Prepares a branch that took the message of "in" and sent a reply to "out"; returns the two message ids. */
    private String[] prepareMove(XASession session, Xid xid) throws Exception {
        XAResource r = session.getXAResource();
        r.start(xid, XAResource.TMNOFLAGS);
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        Message in = consumer.receive(5000);
        TextMessage reply = session.createTextMessage("reply");
        session.createProducer(session.createQueue("out")).send(reply);
        consumer.close();
        r.end(xid, XAResource.TMSUCCESS);
        assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
        return new String[] {in.getJMSMessageID(), reply.getJMSMessageID()};
    }

    @Test
    void anOperatorListsAnInDoubtBranchAndCommitsItAndTheTransactionManagerGetsHeurcom() throws Exception {
        put(factory, "in", "order");
        Xid xid = XaResourceTest.newXid();
        String text = WireXid.of(xid).toString();
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            XASession session = c.createXASession();
            String[] ids = prepareMove(session, xid);
            assertThat(inDoubt()).singleElement().asString()
                    .startsWith("xid=" + text + " state=prepared age=")
                    .contains("connection=")
                    .contains("sends=1 [queue://out " + ids[1] + "]")
                    .contains("consumed=1 [queue://in " + ids[0] + "]");

            assertThat(decide("commitInDoubtBranch", text)).contains(text).contains("heuristically committed");
            assertThat(((TextMessage) receive(factory, "out", 5000)).getText()).isEqualTo("reply");
            assertThat(inDoubt()).singleElement().asString()
                    .startsWith("xid=" + text + " state=heuristically-committed");

            XAResource r = session.getXAResource();
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).containsExactly(xid);
            expectXa(XAException.XA_HEURCOM, () -> r.commit(xid, false));
            expectXa(XAException.XA_HEURCOM, () -> r.rollback(xid));
            expectXa(XAException.XAER_PROTO, () -> r.prepare(xid));
            expectXa(XAException.XAER_PROTO, () -> r.start(xid, XAResource.TMJOIN));
            expectXa(XAException.XAER_DUPID, () -> r.start(xid, XAResource.TMNOFLAGS));
            r.forget(xid);
            assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
            expectXa(XAException.XAER_NOTA, () -> r.forget(xid));
            expectXa(XAException.XAER_NOTA, () -> r.commit(xid, false));
            assertThat(inDoubt()).isEmpty();
        }
        assertThat(receive(factory, "in", 200)).isNull();
    }

    @Test
    void anOperatorRollsAnInDoubtBranchBackAndTheTransactionManagerGetsHeurrb() throws Exception {
        put(factory, "in", "order");
        Xid xid = XaResourceTest.newXid();
        String text = WireXid.of(xid).toString();
        try (XAConnection c = factory.createXAConnection()) {
            c.start();
            prepareMove(c.createXASession(), xid);
        }
        // the transaction manager comes back on another connection
        try (XAConnection c = factory.createXAConnection()) {
            assertThat(decide("rollbackInDoubtBranch", text)).contains("heuristically rolled back");
            Message back = receive(factory, "in", 5000);
            assertThat(((TextMessage) back).getText()).isEqualTo("order");
            assertThat(back.getJMSRedelivered()).isTrue();
            assertThat(receive(factory, "out", 200)).isNull();

            XAResource r = c.createXASession().getXAResource();
            assertThat(r.recover(XAResource.TMSTARTRSCAN)).containsExactly(xid);
            expectXa(XAException.XA_HEURRB, () -> r.commit(xid, false));
            expectXa(XAException.XA_HEURRB, () -> r.commit(xid, true));
            expectXa(XAException.XA_HEURRB, () -> r.rollback(xid));
            r.forget(xid);
            assertThat(r.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        }
    }

    @Test
    void xidsWhoseFormatIdTheBrokerReservesForDecisionsAreRefused() throws Exception {
        try (XAConnection c = factory.createXAConnection()) {
            XAResource r = c.createXASession().getXAResource();
            expectXa(XAException.XAER_INVAL, () -> r.start(new WireXid(0xff480001, new byte[] {1}, new byte[0]),
                    XAResource.TMNOFLAGS));
            Xid fine = new WireXid(0xff470001, new byte[] {1}, new byte[0]);
            r.start(fine, XAResource.TMNOFLAGS);
            r.end(fine, XAResource.TMSUCCESS);
            assertThat(r.prepare(fine)).isEqualTo(XAResource.XA_RDONLY);
        }
    }

    @Test
    void onlyAPreparedBranchCanBeDecidedByHand() throws Exception {
        assertThatThrownBy(() -> decide("commitInDoubtBranch", "not-an-xid"))
                .isInstanceOf(RuntimeMBeanException.class).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-an-xid");
        String unknown = WireXid.of(XaResourceTest.newXid()).toString();
        assertThatThrownBy(() -> decide("rollbackInDoubtBranch", unknown))
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no in-doubt branch");
        try (XAConnection c = factory.createXAConnection()) {
            XASession session = c.createXASession();
            Xid active = XaResourceTest.newXid();
            session.getXAResource().start(active, XAResource.TMNOFLAGS);
            assertThatThrownBy(() -> decide("commitInDoubtBranch", WireXid.of(active).toString()))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("not prepared");
            assertThat(inDoubt()).as("an active branch is not in doubt").isEmpty();
            session.getXAResource().end(active, XAResource.TMSUCCESS);
            session.getXAResource().rollback(active);
        }
    }
}
