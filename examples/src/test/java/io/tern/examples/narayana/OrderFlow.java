package io.tern.examples.narayana;

import com.arjuna.ats.arjuna.AtomicAction;
import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.arjuna.exceptions.ObjectStoreException;
import com.arjuna.ats.arjuna.objectstore.StoreManager;
import com.arjuna.ats.arjuna.state.InputObjectState;
import com.arjuna.ats.internal.arjuna.common.UidHelper;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The work every test here puts in one global transaction: receive an order from queue {@code orders}, insert its
 * row, send a confirmation to queue {@code confirmations}; and the checks of what is left afterwards.
 */
final class OrderFlow {
    static final String ORDERS = "orders";
    static final String CONFIRMATIONS = "confirmations";

    private OrderFlow() {
    }

    /** Sends order {@code id} outside any transaction. */
    static void put(ConnectionFactory factory, String id) throws JMSException {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(ORDERS)).send(s.createTextMessage(id));
        }
    }

    /**
     * The transaction's work, on a session and a JDBC connection already enlisted: receives the next order,
     * inserts its row, sends its confirmation. Returns the order's id.
     */
    static String work(XASession session, java.sql.Connection sql) throws JMSException, SQLException {
        MessageConsumer consumer = session.createConsumer(session.createQueue(ORDERS));
        TextMessage order = (TextMessage) consumer.receive(10_000);
        if (order == null) {
            throw new AssertionError("no order on queue " + ORDERS + " within 10 s");
        }
        OrdersDatabase.insert(sql, order.getText(), "order " + order.getText());
        session.createProducer(session.createQueue(CONFIRMATIONS))
                .send(session.createTextMessage("confirmed " + order.getText()));
        consumer.close();
        return order.getText();
    }

    /**
     * Receives (and acknowledges) what queue {@code queue} holds: waits up to 10 s for each of the {@code expected}
     * messages, then half a second for any more, which the list then shows.
     */
    static List<TextMessage> drain(ConnectionFactory factory, String queue, int expected) throws JMSException {
        List<TextMessage> all = new ArrayList<>();
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            while (true) {
                TextMessage m = (TextMessage) consumer.receive(all.size() < expected ? 10_000 : 500);
                if (m == null) {
                    return all;
                }
                all.add(m);
            }
        }
    }

    /** The branches Tern holds prepared, asked on a connection of its own. */
    static List<Xid> ternInDoubt(TernXAConnectionFactory factory) throws JMSException, XAException {
        try (XAConnection c = factory.createXAConnection()) {
            XAResource tern = c.createXASession().getXAResource();
            return List.of(tern.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        }
    }

    /** Transactions Narayana's log still holds (in doubt, or with a participant left to finish). */
    static List<String> narayanaInDoubt() throws ObjectStoreException {
        InputObjectState uids = new InputObjectState();
        List<String> all = new ArrayList<>();
        String type = new AtomicAction().type();
        if (StoreManager.getRecoveryStore().allObjUids(type, uids)) {
            for (Uid uid = unpack(uids); uid != null && uid.notEquals(Uid.nullUid()); uid = unpack(uids)) {
                all.add(uid.stringForm());
            }
        }
        return all;
    }

    private static Uid unpack(InputObjectState uids) {
        try {
            return UidHelper.unpackFrom(uids);
        } catch (java.io.IOException endOfList) {
            return null;
        }
    }
}
