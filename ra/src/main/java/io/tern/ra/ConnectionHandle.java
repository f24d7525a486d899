package io.tern.ra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

/**
 * The connection an application gets from the adapter's connection factory: a handle on a pooled
 * {@link TernManagedConnection}. It follows the Jakarta EE rules for JMS in the web and EJB containers (Jakarta
 * Messaging 3.1, "Restrictions on the use of the JMS API in the Jakarta EE web or EJB container"): one session per
 * connection; {@code setClientID}, {@code setExceptionListener}, {@code stop} and the connection-consumer methods
 * throw {@link IllegalStateException}. Closing it returns the pooled connection to the container.
 */
public final class ConnectionHandle implements Connection, QueueConnection, TopicConnection {
    private volatile TernManagedConnection mc;
    private volatile boolean closed;
    private SessionHandle session;
    /** Temporary destinations made through this handle: they end with it, not with the pooled connection. */
    private final java.util.List<jakarta.jms.Destination> temporaries = new java.util.concurrent.CopyOnWriteArrayList<>();

    ConnectionHandle(TernManagedConnection mc) {
        this.mc = mc;
    }

    /** Moves the handle to another pooled connection (connection sharing); returns the old one. */
    synchronized TernManagedConnection reassociate(TernManagedConnection to) {
        TernManagedConnection old = mc;
        mc = to;
        if (session != null) {
            session.invalidate();
            session = null;
        }
        return old;
    }

    TernManagedConnection managed() throws IllegalStateException {
        checkOpen();
        return mc;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        if (!mc.isUsable()) {
            throw new IllegalStateException("the connection to the broker (" + mc.address() + ") is broken;"
                    + " close it and get a new one from the connection factory");
        }
    }

    /**
     * Whether the pooled connection behind this handle still reaches the broker (the timeout is not needed: the
     * answer is known without asking the broker). Not part of {@link Connection}: IronJacamar's XA recovery calls
     * {@code isValid(int)} by reflection on the handle it opens to check its recovery connection, and without
     * this method, or when it answers false, destroys that connection and opens a new one at every scan. The
     * transaction manager would then complete the in-doubt branches of one scan through the XA resource of a
     * connection the next scan has closed, and never succeed.
     */
    public boolean isValid(int timeoutSeconds) {
        return !closed && mc.isUsable();
    }

    /** The container cleans up the pooled connection: this handle stops working. */
    synchronized void invalidate() {
        closed = true;
        if (session != null) {
            session.invalidate();
            session = null;
        }
        deleteTemporaries();
    }

    <T extends jakarta.jms.Destination> T temporary(T destination) {
        temporaries.add(destination);
        return destination;
    }

    private void deleteTemporaries() {
        for (jakarta.jms.Destination d : temporaries) {
            try {
                if (d instanceof jakarta.jms.TemporaryQueue q) {
                    q.delete();
                } else if (d instanceof jakarta.jms.TemporaryTopic t) {
                    t.delete();
                }
            } catch (JMSException | RuntimeException e) {
                // in use by a consumer of another handle, or the connection is gone: nothing more to do here
            }
        }
        temporaries.clear();
    }

    // --- sessions ---------------------------------------------------------------------------------------------

    @Override
    public synchronized Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        checkOpen();
        if (session != null && !session.isClosed()) {
            throw new IllegalStateException("a connection in a Jakarta EE container may have only one session"
                    + " open at a time; close the first one or get another connection");
        }
        session = new SessionHandle(this, mc.physicalSession(), transacted, acknowledgeMode);
        return session;
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return (QueueSession) createSession(transacted, acknowledgeMode);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return (TopicSession) createSession(transacted, acknowledgeMode);
    }

    // --- connection -------------------------------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return mc.physicalConnection().getClientID();
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        throw forbidden("Connection.setClientID; set the ClientId property of the connection factory instead");
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return mc.physicalConnection().getMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        throw forbidden("Connection.setExceptionListener");
    }

    /** The pooled connection is always started; start() only checks that the handle is open. */
    @Override
    public void start() throws JMSException {
        checkOpen();
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        throw forbidden("Connection.stop");
    }

    @Override
    public void close() throws JMSException {
        TernManagedConnection m;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (session != null) {
                session.closeForConnection();
                session = null;
            }
            deleteTemporaries();
            m = mc;
        }
        m.handleClosed(this);
    }

    // --- connection consumers: for the application server only ------------------------------------------------

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("Connection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("QueueConnection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("TopicConnection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("Connection.createSharedConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("Connection.createDurableConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw forbidden("Connection.createSharedDurableConnectionConsumer");
    }

    static IllegalStateException forbidden(String method) {
        return new IllegalStateException(method + " may not be called by an application in a Jakarta EE web or"
                + " EJB container (Jakarta Messaging 3.1, 12.2)");
    }

    @Override
    public String toString() {
        return "ConnectionHandle[" + mc.address() + (closed ? ", closed" : "") + "]";
    }
}
