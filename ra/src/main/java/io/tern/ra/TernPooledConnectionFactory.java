package io.tern.ra;

import io.tern.jms.exceptions.JmsExceptions;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.SecurityException;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * The connection factory an application looks up (bound in JNDI by the server from the adapter's connection
 * definitions): every connection and context it creates is a handle on a pooled, transaction-enlisted
 * {@link TernManagedConnection} that the server's {@link ConnectionManager} hands out.
 */
public class TernPooledConnectionFactory implements ConnectionFactory, QueueConnectionFactory,
        TopicConnectionFactory, Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    private final TernManagedConnectionFactory factory;
    private final transient ConnectionManager manager;
    private Reference reference;

    TernManagedConnectionFactory managedFactory() {
        return factory;
    }

    TernPooledConnectionFactory(TernManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    ConnectionHandle allocate(TernConnectionRequestInfo info) throws JMSException {
        try {
            return (ConnectionHandle) manager.allocateConnection(factory, info);
        } catch (SecurityException e) {
            JMSSecurityException j = new JMSSecurityException("TERN-R0130 the broker refused the credentials: "
                    + e.getMessage());
            j.initCause(e);
            throw j;
        } catch (ResourceException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JMSException j) {
                throw j;
            }
            JMSException j = new JMSException("TERN-R0131 no pooled connection to " + factory.defaults().url()
                    + ": " + e.getMessage());
            j.initCause(e);
            j.setLinkedException(e);
            throw j;
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return allocate(new TernConnectionRequestInfo(userName, password));
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return allocate(new TernConnectionRequestInfo(userName, password));
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return allocate(new TernConnectionRequestInfo(userName, password));
    }

    @Override
    public JMSContext createContext() {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return context(new TernConnectionRequestInfo(userName, password), sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return context(null, sessionMode);
    }

    private JMSContext context(TernConnectionRequestInfo info, int sessionMode) {
        ContextHandle.checkMode(sessionMode);
        try {
            return new ContextHandle(this, info, allocate(info), sessionMode);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "TernPooledConnectionFactory[" + factory.defaults().url() + "]";
    }
}
