package io.tern.ra;

import io.tern.jms.exceptions.JmsExceptions;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;

/** A {@link JMSConsumer} of a {@link ContextHandle}: synchronous receive only, as Jakarta EE requires. */
final class ContextConsumer implements JMSConsumer {
    private final MessageConsumer consumer;

    ContextConsumer(MessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return JmsExceptions.unchecked(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        throw new IllegalStateRuntimeException("JMSConsumer.getMessageListener may not be called by an application"
                + " in a Jakarta EE web or EJB container");
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        throw new IllegalStateRuntimeException("JMSConsumer.setMessageListener may not be called by an application"
                + " in a Jakarta EE web or EJB container");
    }

    @Override
    public Message receive() {
        return JmsExceptions.unchecked(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return JmsExceptions.unchecked(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return JmsExceptions.unchecked(consumer::receiveNoWait);
    }

    @Override
    public void close() {
        JmsExceptions.unchecked(() -> {
            consumer.close();
            return null;
        });
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(receive(), c);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(receive(timeout), c);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(receiveNoWait(), c);
    }

    private static <T> T body(Message m, Class<T> c) {
        if (m == null) {
            return null;
        }
        try {
            if (!m.isBodyAssignableTo(c)) {
                throw new MessageFormatRuntimeException("the body of message " + m.getJMSMessageID()
                        + " cannot be assigned to " + c.getName());
            }
            return m.getBody(c);
        } catch (JMSException e) {
            throw io.tern.jms.exceptions.JmsExceptions.toRuntime(e);
        }
    }
}
