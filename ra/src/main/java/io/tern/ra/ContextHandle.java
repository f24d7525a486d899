package io.tern.ra;

import io.tern.jms.exceptions.JmsExceptions;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * The {@link JMSContext} of the adapter's connection factory: a {@link ConnectionHandle} and its one
 * {@link SessionHandle}, with the same Jakarta EE rules ({@code setClientID}, {@code setExceptionListener},
 * {@code stop} and message listeners throw {@link IllegalStateRuntimeException}; inside a JTA transaction the
 * session mode is ignored). Closing it returns the pooled connection.
 */
final class ContextHandle implements JMSContext {
    private final TernPooledConnectionFactory factory;
    private final TernConnectionRequestInfo info;
    private final ConnectionHandle connection;
    private final int sessionMode;
    private SessionHandle session;
    private jakarta.jms.MessageProducer producer;
    private volatile boolean closed;

    ContextHandle(TernPooledConnectionFactory factory, TernConnectionRequestInfo info, ConnectionHandle connection,
            int sessionMode) {
        this.factory = factory;
        this.info = info;
        this.connection = connection;
        this.sessionMode = sessionMode;
    }

    static void checkMode(int mode) {
        if (mode != Session.SESSION_TRANSACTED && mode != Session.AUTO_ACKNOWLEDGE
                && mode != Session.CLIENT_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("session mode " + mode + " is not one of SESSION_TRANSACTED (0),"
                    + " AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2) or DUPS_OK_ACKNOWLEDGE (3)");
        }
    }

    @FunctionalInterface
    interface JmsCall<T> {
        T call() throws JMSException;
    }

    static <T> T unchecked(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    synchronized SessionHandle session() {
        checkOpen();
        if (session == null) {
            session = (SessionHandle) unchecked(() -> connection.createSession(sessionMode));
        }
        return session;
    }

    private synchronized jakarta.jms.MessageProducer producer() {
        if (producer == null) {
            producer = unchecked(() -> session().createProducer(null));
        }
        return producer;
    }

    private static IllegalStateRuntimeException forbidden(String method) {
        return new IllegalStateRuntimeException(method + " may not be called by an application in a Jakarta EE"
                + " web or EJB container (Jakarta Messaging 3.1, 12.2)");
    }

    // --- contexts and connection ------------------------------------------------------------------------------

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        return info == null ? factory.createContext(mode)
                : factory.createContext(info.user(), info.password(), mode);
    }

    @Override
    public String getClientID() {
        checkOpen();
        return unchecked(connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        throw forbidden("JMSContext.setClientID");
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return unchecked(connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return null;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        throw forbidden("JMSContext.setExceptionListener");
    }

    @Override
    public void start() {
        checkOpen();
        unchecked(() -> {
            connection.start();
            return null;
        });
    }

    @Override
    public void stop() {
        checkOpen();
        throw forbidden("JMSContext.stop");
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        unchecked(() -> {
            connection.close();
            return null;
        });
    }

    // --- messages ---------------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() {
        return unchecked(() -> session().createBytesMessage());
    }

    @Override
    public MapMessage createMapMessage() {
        return unchecked(() -> session().createMapMessage());
    }

    @Override
    public Message createMessage() {
        return unchecked(() -> session().createMessage());
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return unchecked(() -> session().createObjectMessage());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return unchecked(() -> session().createObjectMessage(object));
    }

    @Override
    public StreamMessage createStreamMessage() {
        return unchecked(() -> session().createStreamMessage());
    }

    @Override
    public TextMessage createTextMessage() {
        return unchecked(() -> session().createTextMessage());
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return unchecked(() -> session().createTextMessage(text));
    }

    // --- transactions -----------------------------------------------------------------------------------------

    @Override
    public boolean getTransacted() {
        return unchecked(() -> session().getTransacted());
    }

    @Override
    public int getSessionMode() {
        return unchecked(() -> session().getAcknowledgeMode());
    }

    @Override
    public void commit() {
        unchecked(() -> {
            session().commit();
            return null;
        });
    }

    @Override
    public void rollback() {
        unchecked(() -> {
            session().rollback();
            return null;
        });
    }

    @Override
    public void recover() {
        unchecked(() -> {
            session().recover();
            return null;
        });
    }

    /** Sessions of the adapter never use CLIENT_ACKNOWLEDGE, so there is nothing to acknowledge. */
    @Override
    public void acknowledge() {
        checkOpen();
        session();
    }

    // --- producers and consumers ------------------------------------------------------------------------------

    @Override
    public JMSProducer createProducer() {
        checkOpen();
        return new ContextProducer(this, producer());
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination)));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination, messageSelector)));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination, messageSelector,
                noLocal)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        return new ContextConsumer(unchecked(() -> session().createSharedConsumer(topic, sharedSubscriptionName)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        return new ContextConsumer(unchecked(() -> session().createSharedConsumer(topic, sharedSubscriptionName,
                messageSelector)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return new ContextConsumer(unchecked(() -> session().createDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return new ContextConsumer(unchecked(() -> session().createDurableConsumer(topic, name, messageSelector,
                noLocal)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return new ContextConsumer(unchecked(() -> session().createSharedDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return new ContextConsumer(unchecked(() -> session().createSharedDurableConsumer(topic, name,
                messageSelector)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return unchecked(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        return unchecked(() -> session().createBrowser(queue, messageSelector));
    }

    // --- destinations -----------------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) {
        return unchecked(() -> session().createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        return unchecked(() -> session().createTopic(topicName));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return unchecked(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return unchecked(() -> session().createTemporaryTopic());
    }

    @Override
    public void unsubscribe(String name) {
        unchecked(() -> {
            session().unsubscribe(name);
            return null;
        });
    }
}
