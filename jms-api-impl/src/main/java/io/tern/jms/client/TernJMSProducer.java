package io.tern.jms.client;

import io.tern.jms.client.TernMessageProducer.SendOptions;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/** The simplified API's producer: it sends through the context's one anonymous {@link TernMessageProducer}. */
final class TernJMSProducer extends SessionBackedProducer {
    private final TernJMSContext context;

    TernJMSProducer(TernJMSContext context) {
        super(context);
        this.context = context;
    }

    @Override
    protected void deliver(Destination destination, Message message, SendOptions options, CompletionListener async)
            throws JMSException {
        context.producer().send(TernSession.ternDestination(destination), message, options, async);
    }
}
