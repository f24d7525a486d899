package io.tern.examples.narayana;

import static io.tern.examples.narayana.OrderFlow.CONFIRMATIONS;
import static io.tern.examples.narayana.OrderFlow.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import io.tern.broker.testing.ForkedBroker;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.awaitility.Awaitility;
import org.jboss.narayana.jta.jms.JmsXAResourceRecoveryHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broker's JVM is killed (SIGKILL) after Tern's branch is prepared and before Narayana commits it. Narayana
 * commits the database's branch and keeps the transaction in its log; after the broker restarts on the same store,
 * Narayana's recovery (Tern found through Narayana's own {@link JmsXAResourceRecoveryHelper}) commits Tern's
 * branch: the confirmation is delivered once, the order is gone, the row exists once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NarayanaCrashRecoveryTest {
    @TempDir
    static Path objectStore;
    private static TransactionManager tm;

    @TempDir
    Path dir;
    private ForkedBroker broker;

    @BeforeAll
    static void narayana() throws Exception {
        tm = Narayana.start(objectStore);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (broker != null) {
            broker.stop();
        }
    }

    /** A broker JVM with {@code store} in {@code data}, on a port the system picks. */
    private static ForkedBroker startBroker(String store, Path data, Path log) throws Exception {
        List<String> settings = List.of("-XX:TieredStopAtLevel=1", "-Dtern.store=" + store);
        return ForkedBroker.launch("narayana", 0, data, log, settings).awaitReady(Duration.ofSeconds(60));
    }

    private static String url(ForkedBroker broker) {
        return broker.url() + "?requestTimeout=10000";
    }


    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"journal", "jdbc"})
    void aBranchPreparedWhenTheBrokerDiesIsCommittedByRecoveryAfterTheRestart(String store) throws Exception {
        Path data = dir.resolve("broker");
        broker = startBroker(store, data, dir.resolve("broker.log"));
        TernXAConnectionFactory factory = new TernXAConnectionFactory(url(broker));
        OrdersDatabase db = new OrdersDatabase(dir);
        OrderFlow.put(factory, "C-1");
        KillBrokerOnCommit killer = new KillBrokerOnCommit(broker);

        javax.sql.XAConnection sql = db.xaConnection();
        try (XAConnection jms = factory.createXAConnection();
             java.sql.Connection connection = sql.getConnection()) {
            jms.start();
            XASession session = jms.createXASession();
            tm.begin();
            Transaction tx = tm.getTransaction();
            // enlisted first, so its commit comes first: the broker dies with Tern's branch prepared
            tx.enlistResource(killer);
            tx.enlistResource(session.getXAResource());
            tx.enlistResource(sql.getXAResource());
            OrderFlow.work(session, connection);
            tm.commit();
        } finally {
            sql.close();
        }
        assertThat(killer.killed).as("the broker was killed in the commit phase").isTrue();
        assertThat(OrderFlow.narayanaInDoubt()).as("Narayana keeps the transaction to finish it").hasSize(1);
        assertThat(db.rows("C-1")).as("the database committed its branch").isEqualTo(1);

        broker = startBroker(store, data, dir.resolve("broker-restarted.log"));
        factory.setBrokerURL(url(broker));
        List<Xid> inDoubt = OrderFlow.ternInDoubt(factory);
        assertThat(inDoubt).as("Tern's branch came back prepared").hasSize(1);
        assertThat(inDoubt.get(0).getFormatId()).as("Narayana's branch").isEqualTo(131077);
        assertThat(OrderFlow.drain(factory, CONFIRMATIONS, 0)).as("no confirmation before the commit").isEmpty();

        XAResourceRecoveryHelper ternRecovery = new JmsXAResourceRecoveryHelper(factory);
        XAResourceRecoveryHelper dbRecovery = db.recoveryHelper();
        Narayana.addHelpers(ternRecovery, dbRecovery);
        try {
            Awaitility.await("recovery commits Tern's branch").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        Narayana.scan();
                        return OrderFlow.ternInDoubt(factory).isEmpty() && OrderFlow.narayanaInDoubt().isEmpty();
                    });
        } finally {
            Narayana.removeHelpers(ternRecovery, dbRecovery);
        }

        List<TextMessage> confirmations = OrderFlow.drain(factory, CONFIRMATIONS, 1);
        assertThat(confirmations).extracting(TextMessage::getText).as("the confirmation, once")
                .containsExactly("confirmed C-1");
        assertThat(confirmations.get(0).getJMSRedelivered()).isFalse();
        assertThat(OrderFlow.drain(factory, ORDERS, 0)).as("the order was consumed").isEmpty();
        assertThat(db.rows("C-1")).as("the row, once").isEqualTo(1);
    }

    /**
     * A resource that does nothing but kill the broker's JVM when asked to commit: enlisted before Tern, its commit
     * comes after every prepare and before Tern's commit.
     */
    private static final class KillBrokerOnCommit implements XAResource {
        private final ForkedBroker broker;
        volatile boolean killed;

        KillBrokerOnCommit(ForkedBroker broker) {
            this.broker = broker;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            try {
                broker.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                XAException x = new XAException("interrupted while killing the broker");
                x.errorCode = XAException.XAER_RMERR;
                throw x;
            }
            killed = true;
        }

        @Override
        public int prepare(Xid xid) {
            return XA_OK;
        }

        @Override
        public void start(Xid xid, int flags) {
        }

        @Override
        public void end(Xid xid, int flags) {
        }

        @Override
        public void rollback(Xid xid) {
        }

        @Override
        public void forget(Xid xid) {
        }

        @Override
        public Xid[] recover(int flag) {
            return new Xid[0];
        }

        @Override
        public boolean isSameRM(XAResource other) {
            return other == this;
        }

        @Override
        public int getTransactionTimeout() {
            return 0;
        }

        @Override
        public boolean setTransactionTimeout(int seconds) {
            return false;
        }
    }
}
