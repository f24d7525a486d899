package io.tern.examples.ee;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Sends orders to the {@code orders} queue through Tern's resource adapter. The connection factory is the adapter's
 * XA connection factory (bound to {@code java:comp/env/jms/orders} in WEB-INF/jboss-web.xml), so every send joins the
 * caller's JTA transaction: the message reaches the queue when the transaction commits, and never if it rolls back.
 */
@Stateless
public class OrderSender {
    /** The queue the orders go to and {@link OrderListener} reads. */
    public static final String QUEUE = "orders";

    @Resource(name = "jms/orders")
    private ConnectionFactory connectionFactory;

    /**
     * Sends {@code order}, then checks it. The order of the two is deliberate: an invalid order is refused with
     * {@link InvalidOrderException}, which rolls the transaction back, and the message already sent with it.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void place(Order order) throws InvalidOrderException {
        // In a JTA transaction the session's arguments are ignored: the container enlists it in the transaction.
        try (Connection connection = connectionFactory.createConnection();
                Session session = connection.createSession()) {
            TextMessage message = session.createTextMessage(order.item());
            message.setStringProperty(Order.ID, order.id());
            message.setIntProperty(Order.QUANTITY, order.quantity());
            message.setIntProperty(Order.FAIL_DELIVERIES, order.failDeliveries());
            session.createProducer(session.createQueue(QUEUE)).send(message);
        } catch (JMSException e) {
            throw new JMSRuntimeException("sending order " + order.id() + " to " + QUEUE + " failed: " + e,
                    e.getErrorCode(), e);
        }
        if (order.quantity() < 1) {
            throw new InvalidOrderException("order " + order.id() + ": quantity " + order.quantity()
                    + " is below 1");
        }
    }
}
