package io.tern.examples.ee;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.util.logging.Logger;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Stores each order from the {@code orders} queue as a row of the orders database. The message is delivered in a
 * JTA transaction with the database as the second resource: when this method throws, the row is rolled back and
 * the message comes back (redelivered), and after the broker's {@code max-deliveries} it goes to the dead-letter
 * queue instead.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = OrderSender.QUEUE)})
@ResourceAdapter("tern-ra.rar") // WildFly's name for the adapter's deployment; other servers bind it their own way
public class OrderListener implements MessageListener {
    private static final Logger LOG = Logger.getLogger(OrderListener.class.getName());

    @EJB
    private Orders orders;

    @Override
    public void onMessage(Message message) {
        try {
            String id = message.getStringProperty(Order.ID);
            int delivery = message.getIntProperty("JMSXDeliveryCount");
            Order order = new Order(id, ((TextMessage) message).getText(), message.getIntProperty(Order.QUANTITY),
                    message.getIntProperty(Order.FAIL_DELIVERIES));
            orders.store(order, delivery);
            if (delivery <= order.failDeliveries()) {
                // The fault the order asked for, after the insert: the rollback must take the row away again.
                LOG.info(() -> "order " + id + ": failing delivery " + delivery + " of " + order.failDeliveries()
                        + " on purpose");
                throw new IllegalStateException("order " + id + ": delivery " + delivery + " fails on purpose");
            }
        } catch (JMSException e) {
            throw new JMSRuntimeException("reading an order failed: " + e, e.getErrorCode(), e);
        }
    }
}
