package io.tern.examples;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;
import org.jboss.narayana.jta.jms.JmsXAResourceRecoveryHelper;

/**
 * Tern and a database in one JTA transaction, with Narayana as the transaction manager and H2 as the database.
 *
 * <p>First order: in one transaction it is received from queue {@code orders}, its row is inserted into table
 * {@code orders} and a confirmation is sent to queue {@code confirmations}; the commit makes all three happen.
 * Second order: the same work, then the application fails and the transaction rolls back; nothing happened: the
 * order is back on its queue (flagged redelivered), there is no row and no confirmation.
 *
 * <p>Run it with {@code ./tern example xa}: no argument uses a broker started inside this JVM ({@code vm://xa-orders});
 * {@code ./tern example xa tcp://127.0.0.1:61616} uses a standalone broker ({@code ./tern broker}). A second
 * argument names the directory for the database and Narayana's transaction log (default {@code target/xa-orders}).
 */
public final class XaOrderExample {
    static final String ORDERS = "orders";
    static final String CONFIRMATIONS = "confirmations";

    private XaOrderExample() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "vm://xa-orders";
        Report report = run(url, Path.of(args.length > 1 ? args[1] : "target/xa-orders"));
        System.out.println("committed:   order " + report.committedOrder() + ": " + report.committedRows()
                + " row, confirmation '" + report.confirmation() + "'");
        System.out.println("rolled back: order " + report.rolledBackOrder() + ": " + report.rolledBackRows()
                + " rows, " + (report.rolledBackConfirmation() ? "a" : "no") + " confirmation; the order came back"
                + (report.redelivered() ? " flagged redelivered" : "") + " (delivery " + report.deliveryCount() + ")");
    }

    /**
     * What the two transactions left: the committed order, its rows (1) and its confirmation; for the rolled-back
     * order, its rows and whether a confirmation was sent (0 and false), and how it came back to its queue.
     */
    public record Report(String committedOrder, int committedRows, String confirmation, String rolledBackOrder,
                         int rolledBackRows, boolean rolledBackConfirmation, boolean redelivered, int deliveryCount) {
    }

    /**
     * Runs both transactions against the broker at {@code brokerUrl}, keeping the database and Narayana's log in
     * {@code workDir}. Narayana's configuration is static: one run per JVM.
     */
    public static Report run(String brokerUrl, Path workDir) throws Exception {
        Path dir = workDir.toAbsolutePath();
        TransactionManager tm = narayana(dir.resolve("narayana"));
        TernXAConnectionFactory tern = new TernXAConnectionFactory(brokerUrl);
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:file:" + dir.resolve("orders"));
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, text VARCHAR(256))");
        }
        recoverInDoubtTransactions(tern, database);

        String first = send(tern, "2 x tea");
        process(tm, tern, database, first, true);
        String confirmation = takeConfirmation(tern, first, 10_000);

        String second = send(tern, "1 x cake");
        process(tm, tern, database, second, false);
        boolean secondConfirmed = takeConfirmation(tern, second, 1_000) != null;
        // the order is back on its queue: take it off (a real application would let it be redelivered)
        try (jakarta.jms.Connection c = tern.createConnection()) {
            c.start();
            Session s = c.createSession();
            Message back = s.createConsumer(s.createQueue(ORDERS), selector(second)).receive(10_000);
            if (back == null) {
                throw new IllegalStateException("order " + second + " did not come back after the rollback");
            }
            return new Report(first, rows(database, first), confirmation, second, rows(database, second),
                    secondConfirmed, back.getJMSRedelivered(), back.getIntProperty("JMSXDeliveryCount"));
        }
    }

    /**
     * One JTA transaction over Tern and the database: receives order {@code id}, inserts its row, sends its
     * confirmation, then commits, or rolls back as an application does when a later step fails.
     */
    static void process(TransactionManager tm, TernXAConnectionFactory tern, JdbcDataSource database, String id,
                        boolean commit) throws Exception {
        javax.sql.XAConnection sql = database.getXAConnection();
        try (XAConnection jms = tern.createXAConnection(); Connection connection = sql.getConnection()) {
            jms.start();
            XASession session = jms.createXASession();
            tm.begin();
            tm.getTransaction().enlistResource(session.getXAResource());
            tm.getTransaction().enlistResource(sql.getXAResource());

            MessageConsumer consumer = session.createConsumer(session.createQueue(ORDERS), selector(id));
            TextMessage order = (TextMessage) consumer.receive(10_000);
            if (order == null) {
                throw new IllegalStateException("order " + id + " is not on queue " + ORDERS);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO orders (id, text) VALUES (?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, order.getText());
                insert.executeUpdate();
            }
            TextMessage confirmation = session.createTextMessage("confirmed " + id + ": " + order.getText());
            confirmation.setStringProperty("orderId", id);
            session.createProducer(session.createQueue(CONFIRMATIONS)).send(confirmation);
            consumer.close();

            if (commit) {
                tm.commit();
            } else {
                tm.rollback();
            }
        } finally {
            if (tm.getTransaction() != null) {
                tm.rollback();
            }
            sql.close();
        }
    }

    /**
     * Narayana, standalone: its transaction log in {@code objectStore}, no network listeners, recovery run when
     * this program asks (see {@link #recoverInDoubtTransactions}). An application server does all of this for you.
     */
    static TransactionManager narayana(Path objectStore) throws CoreEnvironmentBeanException {
        String dir = objectStore.toString();
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore").setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(dir);
        // recovery only finishes transactions of the nodes it is told about: name this one
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("tern-xa-example");
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of("tern-xa-example"));
        arjPropertyManager.getCoordinatorEnvironmentBean().setTransactionStatusManagerEnable(false);
        RecoveryEnvironmentBean recovery = recoveryPropertyManager.getRecoveryEnvironmentBean();
        recovery.setRecoveryModuleClassNames(List.of(AtomicActionRecoveryModule.class.getName(),
                XARecoveryModule.class.getName()));
        recovery.setExpiryScannerClassNames(List.of());
        recovery.setRecoveryListener(false);
        recovery.setRecoveryBackoffPeriod(1);
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /**
     * Finishes what an earlier run left in doubt (a crash between prepare and commit): Narayana's recovery asks
     * Tern (through Narayana's own JMS helper) and the database for their prepared branches and completes each as
     * its log says. A long-running application runs this periodically ({@code RecoveryManager.manager()}).
     */
    static void recoverInDoubtTransactions(TernXAConnectionFactory tern, JdbcDataSource database) {
        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule xa = manager.getModules().stream().filter(XARecoveryModule.class::isInstance)
                .map(XARecoveryModule.class::cast).findFirst().orElseThrow();
        xa.addXAResourceRecoveryHelper(new JmsXAResourceRecoveryHelper(tern));
        xa.addXAResourceRecoveryHelper(new DatabaseRecovery(database));
        manager.scan();
    }

    /** The database's XAResource for recovery: each scan gets a fresh connection's, and the previous one is closed. */
    private static final class DatabaseRecovery implements XAResourceRecoveryHelper {
        private final JdbcDataSource database;
        private javax.sql.XAConnection current;

        DatabaseRecovery(JdbcDataSource database) {
            this.database = database;
        }

        @Override
        public boolean initialise(String p) {
            return true;
        }

        @Override
        public synchronized XAResource[] getXAResources() throws SQLException {
            if (current != null) {
                current.close();
            }
            current = database.getXAConnection();
            return new XAResource[] {current.getXAResource()};
        }
    }

    private static String send(TernXAConnectionFactory tern, String text) throws JMSException {
        String id = "order-" + UUID.randomUUID().toString().substring(0, 8);
        try (jakarta.jms.Connection c = tern.createConnection()) {
            Session s = c.createSession();
            TextMessage order = s.createTextMessage(text);
            order.setStringProperty("orderId", id);
            s.createProducer(s.createQueue(ORDERS)).send(order);
        }
        return id;
    }

    /** Receives the confirmation of order {@code id}, or null when none comes within {@code waitMillis}. */
    private static String takeConfirmation(TernXAConnectionFactory tern, String id, long waitMillis)
            throws JMSException {
        try (jakarta.jms.Connection c = tern.createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue(CONFIRMATIONS), selector(id));
            TextMessage m = (TextMessage) consumer.receive(waitMillis);
            return m == null ? null : m.getText();
        }
    }

    private static int rows(JdbcDataSource database, String id) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String selector(String id) {
        return "orderId = '" + id + "'";
    }
}
