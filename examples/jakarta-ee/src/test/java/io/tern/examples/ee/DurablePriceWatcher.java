package io.tern.examples.ee;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * A test deployment of its own ({@link OrderScenarios#durableWatcher()}), deployed, undeployed and deployed again
 * by the test: a durable subscription to the {@code prices} topic, which keeps what is published while the bean
 * is away. It records each price in the shop's receipts table as listener {@code durable}.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = PriceListener.TOPIC),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = "durable-price-watcher"),
        @ActivationConfigProperty(propertyName = "clientId", propertyValue = "tern-example-durable")})
@ResourceAdapter("tern-ra.rar")
public class DurablePriceWatcher implements MessageListener {
    @Resource(lookup = "java:jboss/datasources/OrdersDS")
    private DataSource database;

    @Override
    public void onMessage(Message message) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO receipts (listener, message, thread) VALUES ('durable', ?, ?)")) {
            s.setString(1, message.getStringProperty(Order.ID));
            s.setString(2, Thread.currentThread().getName());
            s.executeUpdate();
        } catch (JMSException | SQLException e) {
            throw new IllegalStateException("recording a price failed: " + e, e);
        }
    }
}
