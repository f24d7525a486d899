package io.tern.ra;

import io.tern.jms.client.SessionBackedProducer;
import io.tern.jms.client.TernMessageProducer.SendOptions;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;

/**
 * The {@link jakarta.jms.JMSProducer} of a {@link ContextHandle}: the client's producer rules, sending through the
 * context's one anonymous producer (a {@link ProducerHandle}, which checks the handle and maps admin objects).
 */
final class ContextProducer extends SessionBackedProducer {
    private final MessageProducer producer;

    ContextProducer(JMSContext context, MessageProducer producer) {
        super(context);
        this.producer = producer;
    }

    @Override
    protected void deliver(Destination destination, Message message, SendOptions options, CompletionListener async)
            throws JMSException {
        producer.setDisableMessageID(options.disableMessageID());
        producer.setDisableMessageTimestamp(options.disableMessageTimestamp());
        producer.setDeliveryDelay(options.deliveryDelay());
        if (async != null) {
            producer.send(destination, message, options.deliveryMode(), options.priority(), options.timeToLive(),
                    async);
        } else {
            producer.send(destination, message, options.deliveryMode(), options.priority(), options.timeToLive());
        }
    }
}
