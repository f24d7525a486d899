package io.tern.examples.ee;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * Reads the {@value #TOPIC} topic through one shared, non-durable subscription ({@code shareSubscriptions},
 * {@code subscriptionName}) with several delivery sessions ({@code maxSessions}): the sessions share the
 * subscription's messages, so each price is received once by the bean, not once per session. (An unshared topic
 * subscription gets a single session, since each session of its own would receive every message.)
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = PriceListener.TOPIC),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "NonDurable"),
        @ActivationConfigProperty(propertyName = "shareSubscriptions", propertyValue = "true"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "price-watchers"),
        @ActivationConfigProperty(propertyName = "maxSessions", propertyValue = "3")})
@ResourceAdapter("tern-ra.rar")
public class PriceListener implements MessageListener {
    public static final String TOPIC = "prices";

    @EJB
    private Receipts receipts;

    @Override
    public void onMessage(Message message) {
        try {
            receipts.store("prices", message.getStringProperty(Order.ID));
        } catch (JMSException e) {
            throw new JMSRuntimeException("reading a price failed: " + e, e.getErrorCode(), e);
        }
    }
}
