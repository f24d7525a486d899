package io.tern.ra;

import io.tern.jms.client.TernXAConnection;
import io.tern.jms.client.TernXASession;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pooled broker connection with its one XA session. Application handles ({@link ConnectionHandle}) come and
 * go; the session stays, so its XA resource is the one the container enlisted. The session takes part in a JTA
 * transaction when the container starts a branch on {@link #getXAResource()}, in a local transaction when it
 * begins {@link #getLocalTransaction()}, and otherwise acknowledges and sends at once (AUTO_ACKNOWLEDGE).
 * When the broker connection fails the container hears {@code CONNECTION_ERROR_OCCURRED} and drops it.
 */
final class TernManagedConnection implements ManagedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(TernManagedConnection.class);

    private final TernManagedConnectionFactory factory;
    private final BrokerAddress address;
    private final TernXAConnection connection;
    private final TernXASession session;
    private final BranchTrackingXAResource xaResource;
    private final TernLocalTransaction localTransaction;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionHandle> handles = new CopyOnWriteArrayList<>();
    private volatile boolean broken;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    TernManagedConnection(TernManagedConnectionFactory factory, BrokerAddress address) throws JMSException {
        this.factory = factory;
        this.address = address;
        this.connection = TernResourceAdapter.open(address);
        try {
            this.session = (TernXASession) connection.createXASession();
            connection.setExceptionListener(this::connectionFailed);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            TernResourceAdapter.closeQuietly(connection);
            throw e;
        }
        this.xaResource = new BranchTrackingXAResource(session.getXAResource());
        this.localTransaction = new TernLocalTransaction(xaResource);
    }

    TernManagedConnectionFactory factory() {
        return factory;
    }

    BrokerAddress address() {
        return address;
    }

    TernXAConnection physicalConnection() {
        return connection;
    }

    Session physicalSession() {
        return session;
    }

    /** True while the session works for a JTA or local transaction: the application's session arguments are ignored. */
    boolean inTransaction() {
        return xaResource.inBranch();
    }

    boolean isUsable() {
        return !broken && !destroyed;
    }

    // --- handles ----------------------------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (!isUsable()) {
            throw new jakarta.resource.spi.IllegalStateException("TERN-R0110 the connection to " + address
                    + " is broken or destroyed");
        }
        ConnectionHandle h = new ConnectionHandle(this);
        handles.add(h);
        return h;
    }

    @Override
    public void associateConnection(Object handle) throws ResourceException {
        if (!(handle instanceof ConnectionHandle h)) {
            throw new jakarta.resource.spi.IllegalStateException("TERN-R0111 " + handle + " is not a Tern handle");
        }
        TernManagedConnection old = h.reassociate(this);
        if (old != null) {
            old.handles.remove(h);
        }
        handles.add(h);
    }

    /** An application closed {@code h}: the container may now return this connection to its pool. */
    void handleClosed(ConnectionHandle h) {
        handles.remove(h);
        ConnectionEvent e = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        e.setConnectionHandle(h);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(e);
        }
    }

    /** The broker connection failed: handles stop working and the container drops this connection. */
    void connectionFailed(JMSException cause) {
        if (broken || destroyed) {
            return;
        }
        broken = true;
        LOG.warn("TERN-R0112 pooled connection to {} failed; the pool drops it: {}", address, cause.toString());
        ConnectionEvent e = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        for (ConnectionEventListener l : listeners) {
            l.connectionErrorOccurred(e);
        }
    }

    /** Invalidates every handle and makes the session ready for its next user. */
    @Override
    public void cleanup() throws ResourceException {
        for (ConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
    }

    @Override
    public void destroy() throws ResourceException {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (ConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
        TernResourceAdapter.closeQuietly(connection);
    }

    // --- transactions -----------------------------------------------------------------------------------------

    @Override
    public XAResource getXAResource() {
        return xaResource;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return localTransaction;
    }

    // --- events and metadata ----------------------------------------------------------------------------------

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ManagedConnectionMetaData getMetaData() throws ResourceException {
        return new TernManagedConnectionMetaData(connection, address.user());
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "TernManagedConnection[" + address + "]";
    }
}
