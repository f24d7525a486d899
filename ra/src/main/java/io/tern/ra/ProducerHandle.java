package io.tern.ra;

import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A producer made from a {@link SessionHandle}. It passes everything to the pooled session's producer, turning the
 * adapter's admin objects (destination and reply-to) into Tern destinations on the way.
 */
final class ProducerHandle implements MessageProducer, QueueSender, TopicPublisher {
    private final SessionHandle session;
    private final MessageProducer producer;

    ProducerHandle(SessionHandle session, MessageProducer producer) {
        this.session = session;
        this.producer = producer;
    }

    /** The pooled session's producer, once the session handle has passed its {@code checkOpen()}. */
    private MessageProducer open() throws JMSException {
        session.checkOpen();
        return producer;
    }

    /** {@link #open()}, with {@code m}'s reply-to (an admin object, perhaps) made a Tern destination. */
    private MessageProducer sending(Message m) throws JMSException {
        session.checkOpen();
        Destinations.fixReplyTo(m);
        return producer;
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        open().setDisableMessageID(value);
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        return open().getDisableMessageID();
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        open().setDisableMessageTimestamp(value);
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        return open().getDisableMessageTimestamp();
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        open().setDeliveryMode(deliveryMode);
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        return open().getDeliveryMode();
    }

    @Override
    public void setPriority(int defaultPriority) throws JMSException {
        open().setPriority(defaultPriority);
    }

    @Override
    public int getPriority() throws JMSException {
        return open().getPriority();
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        open().setTimeToLive(timeToLive);
    }

    @Override
    public long getTimeToLive() throws JMSException {
        return open().getTimeToLive();
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        open().setDeliveryDelay(deliveryDelay);
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        return open().getDeliveryDelay();
    }

    @Override
    public Destination getDestination() throws JMSException {
        return open().getDestination();
    }

    @Override
    public Queue getQueue() throws JMSException {
        return (Queue) getDestination();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return (Topic) getDestination();
    }

    @Override
    public void close() throws JMSException {
        session.childClosed(this);
        producer.close();
    }

    @Override
    public void send(Message message) throws JMSException {
        sending(message).send(message);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        sending(message).send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        sending(message).send(Destinations.toTern(destination), message);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        sending(message).send(Destinations.toTern(destination), message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        sending(message).send(message, completionListener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        sending(message).send(message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener completionListener)
            throws JMSException {
        sending(message).send(Destinations.toTern(destination), message, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        sending(message).send(Destinations.toTern(destination), message, deliveryMode, priority, timeToLive,
                completionListener);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send((Destination) topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) topic, message, deliveryMode, priority, timeToLive);
    }
}
