package io.tern.jms.client;

import static io.tern.jms.exceptions.JmsExceptions.unchecked;

import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.exceptions.JmsExceptions.JmsCall;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.Session;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simplified API: one session on a connection that may be shared with other contexts made by
 * {@link #createContext(int)}. The session is created on first use, so {@link #setClientID} works right after the
 * context is made; the connection closes when its last context does. Checked JMS exceptions surface as their
 * unchecked twins ({@link JmsExceptions#toRuntime}).
 */
public class TernJMSContext extends SessionBackedContext {
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

    void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    @Override
    protected synchronized TernSession session() {
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

    @Override
    protected JMSConsumer consumer(JmsCall<jakarta.jms.MessageConsumer> create) {
        TernMessageConsumer c = (TernMessageConsumer) unchecked(create);
        if (autoStart) {
            start();
        }
        return new TernJMSConsumer(c);
    }

    @Override
    public String toString() {
        return "TernJMSContext[" + shared.connection + ", mode " + sessionMode + "]";
    }
}
