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

    @Override
    public String getMessageSelector() throws JMSException {
        session.checkOpen();
        return consumer.getMessageSelector();
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
        session.checkOpen();
        return consumer.receive();
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        session.checkOpen();
        return consumer.receive(timeout);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        session.checkOpen();
        return consumer.receiveNoWait();
    }

    @Override
    public Queue getQueue() throws JMSException {
        session.checkOpen();
        return ((QueueReceiver) consumer).getQueue();
    }

    @Override
    public Topic getTopic() throws JMSException {
        session.checkOpen();
        return ((TopicSubscriber) consumer).getTopic();
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        session.checkOpen();
        return ((TopicSubscriber) consumer).getNoLocal();
    }

    @Override
    public void close() throws JMSException {
        session.childClosed(this);
        consumer.close();
    }
}
