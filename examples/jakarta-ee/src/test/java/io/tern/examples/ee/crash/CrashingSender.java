package io.tern.examples.ee.crash;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/**
 * In one JTA transaction: enlists a {@link HaltingXAResource} first, then sends a message through Tern's pooled XA
 * connection factory (its branch enlisted second). The commit prepares both, logs the decision, commits the halting
 * branch first, and the server dies with Tern's branch prepared.
 */
@Stateless
public class CrashingSender {
    @Resource(lookup = "java:/TernConnectionFactory")
    private ConnectionFactory connectionFactory;

    @Resource(lookup = "java:/TransactionManager")
    private TransactionManager transactionManager;

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void sendThenCrash(String queue, String id) throws JMSException, RollbackException, SystemException {
        transactionManager.getTransaction().enlistResource(new HaltingXAResource());
        try (Connection connection = connectionFactory.createConnection();
                Session session = connection.createSession()) {
            Message m = session.createMessage();
            m.setStringProperty("orderId", id);
            session.createProducer(session.createQueue(queue)).send(m);
        }
    }
}
