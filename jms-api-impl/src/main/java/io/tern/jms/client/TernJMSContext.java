package io.tern.jms.client;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simplified API: one session on a connection that may be shared with other contexts made by
 * {@link #createContext(int)}. The session is created on first use, so {@link #setClientID} works right after the
 * context is made; the connection closes when its last context does. Checked JMS exceptions surface as their
 * unchecked twins ({@link JmsExceptions#toRuntime}).
 */
public class TernJMSContext implements JMSContext {
    private final SharedConnection shared;
    private final int sessionMode;
    private TernSession session;
    private TernMessageProducer producer;
    private boolean autoStart = true;
    private volatile boolean closed;

    /** A connection shared by the contexts made from one another; closed with the last of them. */
    static final class SharedConnection {
        final TernConnection connection;
        final AtomicInteger users = new AtomicInteger(1);

        SharedConnection(TernConnection connection) {
            this.connection = connection;
        }
    }

    TernJMSContext(TernConnection connection, int sessionMode) {
        this(new SharedConnection(connection), sessionMode);
    }

    private TernJMSContext(SharedConnection shared, int sessionMode) {
        checkMode(sessionMode);
        this.shared = shared;
        this.sessionMode = sessionMode;
    }

    static void checkMode(int mode) {
        if (mode != Session.SESSION_TRANSACTED && mode != Session.AUTO_ACKNOWLEDGE
                && mode != Session.CLIENT_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("session mode " + mode + " is not one of SESSION_TRANSACTED (0),"
                    + " AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2) or DUPS_OK_ACKNOWLEDGE (3)");
        }
    }

    /** A JMS call whose checked exception becomes the unchecked one the simplified API throws. */
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

    void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    synchronized TernSession session() {
        checkOpen();
        if (session == null) {
            session = unchecked(this::openSession);
        }
        return session;
    }

    /** Opens the context's session, on first use. */
    TernSession openSession() throws JMSException {
        return (TernSession) shared.connection.createSession(sessionMode);
    }

    TernConnection connection() {
        return shared.connection;
    }

    private synchronized TernMessageProducer anonymousProducer() {
        if (producer == null) {
            producer = (TernMessageProducer) unchecked(() -> session().createProducer(null));
        }
        return producer;
    }

    // --- contexts and connection ------------------------------------------------------------------------------

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        shared.users.incrementAndGet();
        try {
            return new TernJMSContext(shared, mode);
        } catch (RuntimeException e) {
            shared.users.decrementAndGet();
            throw e;
        }
    }

    @Override
    public String getClientID() {
        checkOpen();
        return unchecked(shared.connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        unchecked(() -> {
            shared.connection.setClientID(clientID);
            return null;
        });
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return unchecked(shared.connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return unchecked(shared.connection::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        unchecked(() -> {
            shared.connection.setExceptionListener(listener);
            return null;
        });
    }

    @Override
    public void start() {
        checkOpen();
        unchecked(() -> {
            shared.connection.start();
            return null;
        });
    }

    @Override
    public void stop() {
        checkOpen();
        unchecked(() -> {
            shared.connection.stop();
            return null;
        });
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    @Override
    public void close() {
        TernSession s;
        synchronized (this) {
            if (closed) {
                return;
            }
            s = session;
            if (s != null && s.isListenerThread()) {
                throw new IllegalStateRuntimeException("a message listener must not close its own JMSContext");
            }
            closed = true;
        }
        unchecked(() -> {
            if (s != null) {
                s.close();
            }
            if (shared.users.decrementAndGet() == 0) {
                shared.connection.close();
            }
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

    // --- transactions and acknowledgement ---------------------------------------------------------------------

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == Session.SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
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

    @Override
    public void acknowledge() {
        TernSession s = session();
        if (sessionMode != Session.CLIENT_ACKNOWLEDGE) {
            return;
        }
        unchecked(() -> {
            s.acknowledgeAll();
            return null;
        });
    }

    // --- producers and consumers ------------------------------------------------------------------------------

    @Override
    public JMSProducer createProducer() {
        checkOpen();
        return new TernJMSProducer(this);
    }

    TernMessageProducer producer() {
        return anonymousProducer();
    }

    private JMSConsumer consumer(JmsCall<jakarta.jms.MessageConsumer> create) {
        TernMessageConsumer c = (TernMessageConsumer) unchecked(create);
        if (autoStart) {
            start();
        }
        return new TernJMSConsumer(c);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(() -> session().createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return consumer(() -> session().createConsumer(destination, messageSelector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        return consumer(() -> session().createConsumer(destination, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name, String messageSelector) {
        return consumer(() -> session().createSharedConsumer(topic, name, messageSelector));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        return consumer(() -> session().createDurableConsumer(topic, name, messageSelector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return unchecked(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        return unchecked(() -> session().createBrowser(queue, messageSelector));
    }

    @Override
    public void unsubscribe(String name) {
        unchecked(() -> {
            session().unsubscribe(name);
            return null;
        });
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
    public String toString() {
        return "TernJMSContext[" + shared.connection + ", mode " + sessionMode + "]";
    }
}
