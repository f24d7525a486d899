package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code getXAResources}: after a crash the server's transaction manager asks the adapter for XA resources with
 * the activations' configuration, lists the prepared branches through them and completes them.
 */
@Timeout(120)
class RecoveryTest {
    @TempDir
    Path dir;
    private TestBroker broker;
    private TestWorkManager work;
    private TernResourceAdapter ra;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dir.resolve("broker"), b -> b);
        work = new TestWorkManager();
        ra = new TernResourceAdapter();
        ra.setServerUrl(broker.url());
        ra.start(new TestBootstrapContext(work));
    }

    @AfterEach
    void stop() throws Exception {
        ra.stop();
        work.close();
        broker.close();
    }

    private static Xid xid(int n) {
        byte[] gtrid = ByteBuffer.allocate(8).putLong(n).array();
        return new Xid() {
            @Override
            public int getFormatId() {
                return 4711;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return gtrid.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {1};
            }
        };
    }

    @Test
    void aBranchPreparedBeforeACrashIsListedAndCommittedThroughTheAdaptersResources() throws Exception {
        Xid xid = xid(1);
        XAConnection lost = new io.tern.jms.client.TernXAConnectionFactory(broker.url()).createXAConnection();
        XASession s = lost.createXASession();
        XAResource branch = s.getXAResource();
        branch.start(xid, XAResource.TMNOFLAGS);
        s.createProducer(s.createQueue("in-doubt")).send(s.createTextMessage("prepared"));
        branch.end(xid, XAResource.TMSUCCESS);
        assertThat(branch.prepare(xid)).isEqualTo(XAResource.XA_OK);
        lost.close();

        TernActivationSpec spec = new TernActivationSpec();
        spec.setDestination("in-doubt");
        XAResource[] resources = ra.getXAResources(new TernActivationSpec[] {spec});
        assertThat(resources).hasSize(1);
        Xid[] inDoubt = resources[0].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertThat(inDoubt).hasSize(1);
        assertThat(inDoubt[0].getGlobalTransactionId()).isEqualTo(xid.getGlobalTransactionId());
        resources[0].commit(inDoubt[0], false);

        try (Connection c = broker.client().createConnection()) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = session.createConsumer(session.createQueue("in-doubt")).receive(10_000);
            assertThat(((TextMessage) m).getText()).isEqualTo("prepared");
        }
        assertThat(resources[0].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
        assertThat(ra.getXAResources(new TernActivationSpec[] {spec})[0]).as("a later scan reuses the connection")
                .isSameAs(resources[0]);
    }

    /**
     * What IronJacamar's outbound recovery does at every scan: a managed connection, a handle on it, the XA
     * resource, then {@code isValid(int)} on the handle by reflection. Were the answer false (or the method
     * missing) it would destroy the connection, and with it the XA resource the transaction manager is about to
     * commit the in-doubt branches through.
     */
    @Test
    void aRecoveryConnectionTellsIronJacamarItIsValidSoThatItIsKeptBetweenScans() throws Exception {
        TernManagedConnectionFactory mcf = new TernManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        jakarta.resource.spi.ManagedConnection mc = mcf.createManagedConnection(null, null);
        try {
            Object handle = mc.getConnection(null, null);
            java.lang.reflect.Method isValid = handle.getClass().getMethod("isValid", int.class);
            assertThat(isValid.invoke(handle, 5)).isEqualTo(true);
            assertThat(mc.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();

            broker.close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> isValid.invoke(handle, 5).equals(false));
        } finally {
            mc.destroy();
        }
    }

    @Test
    void withoutActivationsTheAdaptersOwnSettingsAreUsed() throws Exception {
        XAResource[] resources = ra.getXAResources(null);
        assertThat(resources).hasSize(1);
        assertThat(resources[0].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
    }
}
