package io.tern.ra;

import static io.tern.jms.exceptions.JmsExceptions.unchecked;

import io.tern.jms.client.SessionBackedContext;
import io.tern.jms.exceptions.JmsExceptions.JmsCall;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MessageConsumer;

/**
 * The {@link JMSContext} of the adapter's connection factory: a {@link ConnectionHandle} and its one
 * {@link SessionHandle}, with the same Jakarta EE rules ({@code setClientID}, {@code setExceptionListener},
 * {@code stop} and message listeners throw {@link IllegalStateRuntimeException}; inside a JTA transaction the
 * session mode is ignored). Closing it returns the pooled connection.
 */
final class ContextHandle extends SessionBackedContext {
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

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("the JMSContext is closed");
        }
    }

    @Override
    protected synchronized SessionHandle session() {
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

    // --- transactions -----------------------------------------------------------------------------------------

    @Override
    public boolean getTransacted() {
        return unchecked(() -> session().getTransacted());
    }

    @Override
    public int getSessionMode() {
        return unchecked(() -> session().getAcknowledgeMode());
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
    protected JMSConsumer consumer(JmsCall<MessageConsumer> create) {
        return new ContextConsumer(unchecked(create));
    }
}
