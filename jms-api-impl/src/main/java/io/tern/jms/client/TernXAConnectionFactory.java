package io.tern.jms.client;

import io.tern.jms.exceptions.JmsExceptions;
import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

/**
 * The factory a transaction manager (or an application server) uses for XA: its connections make
 * {@link TernXASession}s whose {@link TernXAResource} it enlists. It is a plain {@link TernConnectionFactory} too.
 */
public class TernXAConnectionFactory extends TernConnectionFactory
        implements XAConnectionFactory, XAQueueConnectionFactory, XATopicConnectionFactory {
    private static final long serialVersionUID = 1L;

    public TernXAConnectionFactory() {
    }

    public TernXAConnectionFactory(String brokerURL) {
        super(brokerURL);
    }

    private TernXAConnection xa(String user, String password, boolean explicit) throws JMSException {
        return (TernXAConnection) createTernConnection(user, password, explicit, TernXAConnection::new);
    }

    @Override
    public XAConnection createXAConnection() throws JMSException {
        return xa(null, null, false);
    }

    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return xa(userName, password, true);
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return (XAQueueConnection) xa(null, null, false).inDomain(TernSession.Domain.QUEUE);
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return (XAQueueConnection) xa(userName, password, true).inDomain(TernSession.Domain.QUEUE);
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return (XATopicConnection) xa(null, null, false).inDomain(TernSession.Domain.TOPIC);
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return (XATopicConnection) xa(userName, password, true).inDomain(TernSession.Domain.TOPIC);
    }

    @Override
    public XAJMSContext createXAContext() {
        return new TernXAJMSContext(JmsExceptions.unchecked(() -> xa(null, null, false)));
    }

    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        return new TernXAJMSContext(JmsExceptions.unchecked(() -> xa(userName, password, true)));
    }
}
