package io.tern.examples.narayana;

import static io.tern.examples.narayana.OrderFlow.CONFIRMATIONS;
import static io.tern.examples.narayana.OrderFlow.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tern and an H2 database in one JTA transaction run by Narayana (standalone), on each of Tern's persistent stores:
 * receive an order, insert its row, send its confirmation; all three commit together, or none of them does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NarayanaXaTest {
    @TempDir
    static Path objectStore;
    private static TransactionManager tm;

    @TempDir
    Path dir;
    private Broker broker;
    private TernXAConnectionFactory factory;
    private OrdersDatabase db;

    @BeforeAll
    static void narayana() throws Exception {
        tm = Narayana.start(objectStore);
    }

    private void start(String store) throws Exception {
        broker = new Broker(BrokerConfig.builder().name("xa-" + store).host("127.0.0.1").port(0).tcpEnabled(true)
                .dataDir(dir.resolve("broker")).store(store).build());
        broker.start();
        factory = new TernXAConnectionFactory("tcp://127.0.0.1:" + broker.port());
        db = new OrdersDatabase(dir);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** Runs the order work in one transaction; {@code db} wraps the database's XAResource before it is enlisted. */
    private String inTransaction(UnaryOperator<XAResource> dbResource, boolean commit) throws Exception {
        javax.sql.XAConnection sql = db.xaConnection();
        try (XAConnection jms = factory.createXAConnection();
             java.sql.Connection connection = sql.getConnection()) {
            jms.start();
            XASession session = jms.createXASession();
            tm.begin();
            Transaction tx = tm.getTransaction();
            assertThat(tx.enlistResource(session.getXAResource())).isTrue();
            assertThat(tx.enlistResource(dbResource.apply(sql.getXAResource()))).isTrue();
            String id = OrderFlow.work(session, connection);
            if (commit) {
                tm.commit();
            } else {
                tm.rollback();
            }
            return id;
        } finally {
            if (tm.getTransaction() != null) {
                tm.rollback();
            }
            sql.close();
        }
    }

    private void assertNothingTookEffect(String id) throws Exception {
        List<TextMessage> back = OrderFlow.drain(factory, ORDERS, 1);
        assertThat(back).as("the order is back on its queue").hasSize(1);
        assertThat(back.get(0).getText()).isEqualTo(id);
        assertThat(back.get(0).getJMSRedelivered()).isTrue();
        assertThat(back.get(0).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(OrderFlow.drain(factory, CONFIRMATIONS, 0)).as("no confirmation").isEmpty();
        assertThat(db.rows(id)).as("no row").isZero();
        assertThat(OrderFlow.ternInDoubt(factory)).as("nothing in doubt at Tern").isEmpty();
        assertThat(OrderFlow.narayanaInDoubt()).as("nothing in doubt in Narayana's log").isEmpty();
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"journal", "jdbc"})
    void theReceiveTheRowAndTheReplyCommitTogether(String store) throws Exception {
        start(store);
        OrderFlow.put(factory, "A-1");

        String id = inTransaction(r -> r, true);

        assertThat(id).isEqualTo("A-1");
        List<TextMessage> confirmations = OrderFlow.drain(factory, CONFIRMATIONS, 1);
        assertThat(confirmations).extracting(TextMessage::getText).containsExactly("confirmed A-1");
        assertThat(confirmations.get(0).getJMSRedelivered()).isFalse();
        assertThat(db.rows("A-1")).isEqualTo(1);
        assertThat(OrderFlow.drain(factory, ORDERS, 0)).as("the order was consumed").isEmpty();
        assertThat(OrderFlow.ternInDoubt(factory)).isEmpty();
        assertThat(OrderFlow.narayanaInDoubt()).isEmpty();
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"journal", "jdbc"})
    void aRolledBackTransactionLeavesTheOrderOnItsQueueAndNothingElse(String store) throws Exception {
        start(store);
        OrderFlow.put(factory, "A-2");

        String id = inTransaction(r -> r, false);

        assertThat(id).isEqualTo("A-2");
        assertNothingTookEffect("A-2");
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"journal", "jdbc"})
    void whenTheDatabaseFailsAtPrepareEverythingRollsBack(String store) throws Exception {
        start(store);
        OrderFlow.put(factory, "A-3");
        FailingPrepare[] failing = new FailingPrepare[1];

        assertThatThrownBy(() -> inTransaction(r -> failing[0] = new FailingPrepare(r, factory), true))
                .isInstanceOf(RollbackException.class);

        assertThat(failing[0].ternInDoubtAtFailure).as("Tern's branch was prepared when the database failed")
                .hasSize(1);
        assertNothingTookEffect("A-3");
    }

    /**
     * The database's XAResource, failing its prepare as a database does when it cannot make the branch durable:
     * it rolls its branch back and answers XA_RBROLLBACK, so the transaction manager must roll back every other
     * branch, Tern's prepared one among them.
     */
    private static final class FailingPrepare extends DelegatingXAResource {
        private final TernXAConnectionFactory tern;
        volatile List<Xid> ternInDoubtAtFailure;

        FailingPrepare(XAResource delegate, TernXAConnectionFactory tern) {
            super(delegate);
            this.tern = tern;
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            try {
                ternInDoubtAtFailure = OrderFlow.ternInDoubt(tern);
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException("could not ask Tern for its prepared branches", e);
            }
            delegate.rollback(xid);
            XAException e = new XAException("the database could not prepare " + xid);
            e.errorCode = XAException.XA_RBROLLBACK;
            throw e;
        }
    }
}
