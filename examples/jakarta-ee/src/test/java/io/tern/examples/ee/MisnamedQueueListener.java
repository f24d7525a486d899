package io.tern.examples.ee;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.ejb3.annotation.ResourceAdapter;

/**
 * A test deployment of its own ({@link OrderScenarios#misnamedQueue()}) whose {@code destinationLookup} names
 * nothing bound: its deployment must fail, naming the property and the name.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = MisnamedQueueListener.NAME)})
@ResourceAdapter("tern-ra.rar")
public class MisnamedQueueListener implements MessageListener {
    static final String NAME = "java:/jms/queue/NoSuchQueue";

    @Override
    public void onMessage(Message message) {
        throw new IllegalStateException("never activated, so never called");
    }
}
