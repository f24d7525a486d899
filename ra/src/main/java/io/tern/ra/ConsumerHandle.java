package io.tern.ra;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A consumer made from a {@link SessionHandle}: synchronous receive only. {@code setMessageListener} and
 * {@code getMessageListener} throw {@link IllegalStateException}, as Jakarta EE requires of applications in the
 * web and EJB containers (asynchronous delivery is a message-driven bean's job).
 */
final class ConsumerHandle implements MessageConsumer, QueueReceiver, TopicSubscriber {
    private final SessionHandle session;
    private final MessageConsumer consumer;

    ConsumerHandle(SessionHandle session, MessageConsumer consumer) {
        this.session = session;
        this.consumer = consumer;
    }

    /** The pooled session's consumer, once the session handle has passed its {@code checkOpen()}. */
    private MessageConsumer open() throws JMSException {
        session.checkOpen();
        return consumer;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        return open().getMessageSelector();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        session.checkOpen();
        throw ConnectionHandle.forbidden("MessageConsumer.getMessageListener");
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        session.checkOpen();
        throw ConnectionHandle.forbidden("MessageConsumer.setMessageListener");
    }

    @Override
    public Message receive() throws JMSException {
        return open().receive();
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return open().receive(timeout);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return open().receiveNoWait();
    }

    @Override
    public Queue getQueue() throws JMSException {
        return ((QueueReceiver) open()).getQueue();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return ((TopicSubscriber) open()).getTopic();
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        return ((TopicSubscriber) open()).getNoLocal();
    }

    @Override
    public void close() throws JMSException {
        session.childClosed(this);
        consumer.close();
    }
}
