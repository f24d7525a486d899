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
 * An MDB that names nothing itself: its queue is whatever the server binds at {@value #DESTINATION} (an admin
 * object of the adapter, {@code io.tern.ra.AdminQueue}, whose {@code PhysicalName} is the broker's queue), and its
 * broker is the one of the adapter's connection factory at {@value #CONNECTION_FACTORY}: the standard
 * {@code destinationLookup} and {@code connectionFactoryLookup} activation properties (Jakarta Messaging 3.1,
 * 13.1). When either name is not bound, the bean's deployment fails with {@code TERN-R0218} naming the property.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = AuditListener.DESTINATION),
        @ActivationConfigProperty(propertyName = "connectionFactoryLookup",
                propertyValue = AuditListener.CONNECTION_FACTORY)})
@ResourceAdapter("tern-ra.rar")
public class AuditListener implements MessageListener {
    public static final String DESTINATION = "java:/jms/queue/TernAudit";
    public static final String CONNECTION_FACTORY = "java:/TernConnectionFactory";

    @EJB
    private Receipts receipts;

    @Override
    public void onMessage(Message message) {
        try {
            receipts.store("audit", message.getStringProperty(Order.ID));
        } catch (JMSException e) {
            throw new JMSRuntimeException("reading an audit message failed: " + e, e.getErrorCode(), e);
        }
    }
}
