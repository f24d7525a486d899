package io.tern.store.journal.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.wire.WireXid;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepared XA branches and an operator's decision survive SIGKILL of a broker in a separate JVM on the journal: after
 * the restart recover() lists both branches, the one an operator rolled back by hand (over the broker's JMX port)
 * answers XA_HEURRB until forgotten, and the other commits.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class XaKillNineTest {
    private static final WireXid KEPT = new WireXid(0x7e57, "kept".getBytes(), new byte[] {1});
    private static final WireXid DECIDED = new WireXid(0x7e57, "decided".getBytes(), new byte[] {1});

    @TempDir
    Path work;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String url(KillNineTest.ForkedBroker broker) {
        return "tcp://127.0.0.1:" + broker.port() + "?heartbeat=1000&requestTimeout=10000";
    }

    /** In branch {@code xid}: takes one message of "in", sends "from XID" to "out", ends and prepares. */
    private static void prepareMove(XASession session, WireXid xid) throws Exception {
        XAResource r = session.getXAResource();
        r.start(xid, XAResource.TMNOFLAGS);
        MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
        assertThat(consumer.receive(10_000)).isNotNull();
        session.createProducer(session.createQueue("out")).send(session.createTextMessage("from " + xid));
        consumer.close();
        r.end(xid, XAResource.TMSUCCESS);
        assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
    }

    private static List<String> drain(KillNineTest.ForkedBroker broker, String queue) throws Exception {
        List<String> got = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(url(broker)).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m;
            while ((m = consumer.receive(2000)) != null) {
                got.add(((TextMessage) m).getText());
            }
        }
        return got;
    }

    @Test
    void preparedBranchesAndADecisionByHandSurviveSigkill() throws Exception {
        Path data = work.resolve("data");
        int jmxPort = freePort();
        List<String> jmx = List.of("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
        KillNineTest.ForkedBroker first = KillNineTest.ForkedBroker.start(data, work.resolve("first.log"), jmx);
        try {
            try (Connection c = new TernConnectionFactory(url(first)).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue("in")).send(s.createTextMessage("one"));
                s.createProducer(s.createQueue("in")).send(s.createTextMessage("two"));
            }
            try (XAConnection c = new TernXAConnectionFactory(url(first)).createXAConnection()) {
                c.start();
                XASession session = c.createXASession();
                prepareMove(session, KEPT);
                prepareMove(session, DECIDED);
            }
            JMXServiceURL service = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort
                    + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(service)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName broker = server.queryNames(new ObjectName("io.tern:type=Broker,*"), null).iterator().next();
                assertThat((String[]) server.invoke(broker, "describeInDoubtBranches", new Object[0], new String[0]))
                        .hasSize(2);
                assertThat((String) server.invoke(broker, "rollbackInDoubtBranch", new Object[] {DECIDED.toString()},
                        new String[] {String.class.getName()})).contains("heuristically rolled back");
            }
        } finally {
            first.kill();
        }

        KillNineTest.ForkedBroker second = KillNineTest.ForkedBroker.start(data, work.resolve("second.log"));
        try {
            try (XAConnection c = new TernXAConnectionFactory(url(second)).createXAConnection()) {
                XAResource r = c.createXASession().getXAResource();
                assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN))
                        .containsExactlyInAnyOrder(KEPT, DECIDED);
                assertThatThrownBy(() -> r.commit(DECIDED, false)).isInstanceOf(XAException.class)
                        .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XA_HEURRB));
                r.forget(DECIDED);
                r.commit(KEPT, false);
                assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
            }
            assertThat(drain(second, "out")).containsExactly("from " + KEPT);
            assertThat(drain(second, "in")).as("what the branch rolled back by hand consumed").hasSize(1);
        } finally {
            second.kill();
        }

        KillNineTest.ForkedBroker third = KillNineTest.ForkedBroker.start(data, work.resolve("third.log"));
        try (XAConnection c = new TernXAConnectionFactory(url(third)).createXAConnection()) {
            assertThat(c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN)).isEmpty();
        } finally {
            third.stop();
        }
    }
}
