package io.tern.jms.client;

import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.provider.ConnectionOptions;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import java.io.Serializable;
import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;

/**
 * Creates connections to a Tern broker named by a URI ({@link ConnectionOptions} lists its parameters):
 * {@code tcp://host:port} for a broker over the network, {@code vm://name} for one in the same JVM.
 * Serializable and Referenceable, so it can be bound in JNDI; {@code io.tern.jms.jndi.TernObjectFactory} reads the
 * reference back.
 */
public class TernConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    /** JNDI reference address names. */
    public static final String REF_BROKER_URL = "brokerURL";
    public static final String REF_USER = "user";
    public static final String REF_PASSWORD = "password";
    public static final String REF_CLIENT_ID = "clientID";

    public static final String DEFAULT_BROKER_URL = "tcp://127.0.0.1:61616";

    private String brokerURL;
    private String user;
    private String password;
    private String clientID;

    public TernConnectionFactory() {
        this(DEFAULT_BROKER_URL);
    }

    public TernConnectionFactory(String brokerURL) {
        this.brokerURL = brokerURL;
    }

    public String getBrokerURL() {
        return brokerURL;
    }

    public void setBrokerURL(String brokerURL) {
        this.brokerURL = brokerURL;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientID() {
        return clientID;
    }

    /** A client id every connection from this factory gets (overrides the URI's {@code clientId}). */
    public void setClientID(String clientID) {
        this.clientID = clientID;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return createTernConnection(null, null, false);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return createTernConnection(userName, password, true);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return createTernConnection(null, null, false).inDomain(TernSession.Domain.QUEUE);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return createTernConnection(userName, password, true).inDomain(TernSession.Domain.QUEUE);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return createTernConnection(null, null, false).inDomain(TernSession.Domain.TOPIC);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return createTernConnection(userName, password, true).inDomain(TernSession.Domain.TOPIC);
    }

    TernConnection createTernConnection(String userName, String pass, boolean explicit)
            throws JMSException {
        return createTernConnection(userName, pass, explicit, TernConnection::new);
    }

    TernConnection createTernConnection(String userName, String pass, boolean explicit, TernConnection.Maker maker)
            throws JMSException {
        ConnectionOptions options = ConnectionOptions.parse(brokerURL);
        String u = explicit ? userName : (user != null ? user : options.user());
        String p = explicit ? pass : (password != null ? password : options.password());
        String id = clientID != null ? clientID : options.clientId();
        return TernConnection.open(options, u, p, id, maker);
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
        TernJMSContext.checkMode(sessionMode);
        return new TernJMSContext(JmsExceptions.unchecked(() -> createTernConnection(userName, password, true)),
                sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        TernJMSContext.checkMode(sessionMode);
        return new TernJMSContext(JmsExceptions.unchecked(() -> createTernConnection(null, null, false)),
                sessionMode);
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference ref = new Reference(getClass().getName(), "io.tern.jms.jndi.TernObjectFactory",
                null);
        ref.add(new StringRefAddr(REF_BROKER_URL, brokerURL));
        if (user != null) {
            ref.add(new StringRefAddr(REF_USER, user));
        }
        if (password != null) {
            ref.add(new StringRefAddr(REF_PASSWORD, password));
        }
        if (clientID != null) {
            ref.add(new StringRefAddr(REF_CLIENT_ID, clientID));
        }
        return ref;
    }

    @Override
    public String toString() {
        return "TernConnectionFactory[" + brokerURL + "]";
    }
}
