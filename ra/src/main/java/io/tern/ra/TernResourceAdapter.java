package io.tern.ra;

import io.tern.jms.client.TernXAConnection;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.client.TernXASession;
import jakarta.jms.JMSException;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tern resource adapter: the defaults every connection factory and activation of the deployment inherits
 * (broker URI, credentials, client id, extra connection parameters), an optional broker embedded in the server,
 * message-driven bean activations, and the XA resources the server's transaction manager recovers with.
 *
 * <p>Config properties (ra.xml): {@code ServerUrl} (default {@code tcp://127.0.0.1:61616}, or the embedded
 * broker's {@code vm://} address when {@code EmbeddedBroker} is true), {@code UserName}, {@code Password},
 * {@code ClientId}, {@code ConnectionParameters} ({@code key=value;key=value}, added to the URI's query),
 * {@code EmbeddedBroker} (default false), {@code EmbeddedBrokerDataDirectory} and
 * {@code EmbeddedBrokerConfiguration} (a broker properties file, optional).
 */
public class TernResourceAdapter extends ConnectionProperties implements ResourceAdapter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TernResourceAdapter.class);

    private Boolean embeddedBroker = Boolean.FALSE;
    private String embeddedBrokerDataDirectory;
    private String embeddedBrokerConfiguration;

    private transient volatile BootstrapContext bootstrap;
    private transient volatile AutoCloseable embedded;
    private transient volatile String embeddedUrl;
    private transient Map<ActivationKey, Activation> activations = new ConcurrentHashMap<>();
    private transient Map<BrokerAddress, RecoveryConnection> recoveryConnections = new ConcurrentHashMap<>();

    // --- config properties ------------------------------------------------------------------------------------

    public Boolean getEmbeddedBroker() {
        return embeddedBroker;
    }

    public void setEmbeddedBroker(Boolean embeddedBroker) {
        this.embeddedBroker = embeddedBroker;
    }

    public String getEmbeddedBrokerDataDirectory() {
        return embeddedBrokerDataDirectory;
    }

    public void setEmbeddedBrokerDataDirectory(String embeddedBrokerDataDirectory) {
        this.embeddedBrokerDataDirectory = embeddedBrokerDataDirectory;
    }

    public String getEmbeddedBrokerConfiguration() {
        return embeddedBrokerConfiguration;
    }

    public void setEmbeddedBrokerConfiguration(String embeddedBrokerConfiguration) {
        this.embeddedBrokerConfiguration = embeddedBrokerConfiguration;
    }

    // --- life cycle -------------------------------------------------------------------------------------------

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        this.bootstrap = context;
        if (Boolean.TRUE.equals(embeddedBroker)) {
            try {
                EmbeddedBroker broker = EmbeddedBroker.start(embeddedBrokerDataDirectory, embeddedBrokerConfiguration);
                embedded = broker;
                embeddedUrl = broker.url();
            } catch (RuntimeException | LinkageError e) {
                throw new ResourceAdapterInternalException("TERN-R0002 the embedded broker (EmbeddedBroker=true,"
                        + " EmbeddedBrokerDataDirectory=" + embeddedBrokerDataDirectory + ") did not start: " + e, e);
            }
        }
        LOG.info("TERN-R0001 resource adapter started; default broker {}", defaults());
    }

    @Override
    public void stop() {
        for (Activation a : new ArrayList<>(activations.values())) {
            a.stop();
        }
        activations.clear();
        for (RecoveryConnection c : recoveryConnections.values()) {
            closeQuietly(c.connection());
        }
        recoveryConnections.clear();
        AutoCloseable e = embedded;
        embedded = null;
        if (e != null) {
            try {
                e.close();
            } catch (Exception x) {
                LOG.warn("TERN-R0003 stopping the embedded broker failed: {}", x.toString());
            }
        }
        LOG.info("TERN-R0004 resource adapter stopped");
    }

    /** The work manager of the server, for inbound delivery. */
    WorkManager workManager() {
        BootstrapContext b = bootstrap;
        if (b == null) {
            throw new IllegalStateException("the resource adapter has not been started");
        }
        return b.getWorkManager();
    }

    /** The adapter's own connection defaults, with the embedded broker's address when ServerUrl is not set. */
    BrokerAddress defaults() {
        String url = embeddedUrl != null ? embeddedUrl : io.tern.jms.client.TernConnectionFactory.DEFAULT_BROKER_URL;
        return over(new BrokerAddress(url, null, null, null));
    }

    // --- inbound ----------------------------------------------------------------------------------------------

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof TernActivationSpec s)) {
            throw new NotSupportedException("TERN-R0201 activation spec " + spec + " is not a TernActivationSpec");
        }
        s.validate();
        Activation a = new Activation(this, factory, s);
        a.resolveLookups();
        activations.put(new ActivationKey(factory, spec), a);
        a.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        Activation a = activations.remove(new ActivationKey(factory, spec));
        if (a != null) {
            a.stop();
        }
    }

    /**
     * One XA resource per distinct broker address among the activations given (or the adapter's defaults), each on
     * a connection of its own kept open until the adapter stops (and reopened when it has failed), so that the
     * transaction manager can list and complete in-doubt branches after a crash however often it asks.
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) throws ResourceException {
        List<BrokerAddress> addresses = new ArrayList<>();
        if (specs != null) {
            for (ActivationSpec spec : specs) {
                if (spec instanceof TernActivationSpec s) {
                    BrokerAddress a = s.address(defaults());
                    if (!addresses.contains(a)) {
                        addresses.add(a);
                    }
                }
            }
        }
        if (addresses.isEmpty()) {
            addresses.add(defaults());
        }
        List<XAResource> resources = new ArrayList<>();
        for (BrokerAddress a : addresses) {
            try {
                resources.add(recoveryResource(a));
            } catch (JMSException e) {
                LOG.warn("TERN-R0005 no recovery connection to {}: {}", a, e.toString());
            }
        }
        return resources.toArray(new XAResource[0]);
    }

    private synchronized XAResource recoveryResource(BrokerAddress a) throws JMSException {
        BrokerAddress key = new BrokerAddress(a.url(), a.user(), a.password(), null);
        RecoveryConnection existing = recoveryConnections.get(key);
        if (existing != null && !existing.failed().get()) {
            return existing.resource();
        }
        if (existing != null) {
            closeQuietly(existing.connection());
        }
        TernXAConnection c = open(key);
        AtomicBoolean failed = new AtomicBoolean();
        c.setExceptionListener(e -> failed.set(true));
        XAResource resource = ((TernXASession) c.createXASession()).getXAResource();
        recoveryConnections.put(key, new RecoveryConnection(c, resource, failed));
        return resource;
    }

    /** A connection kept for the transaction manager's recovery scans; {@code failed} once it is lost. */
    private record RecoveryConnection(TernXAConnection connection, XAResource resource, AtomicBoolean failed) {
    }

    /** Opens an XA connection to {@code a}. */
    static TernXAConnection open(BrokerAddress a) throws JMSException {
        TernXAConnectionFactory f = new TernXAConnectionFactory(a.url());
        if (a.clientId() != null) {
            f.setClientID(a.clientId());
        }
        return (TernXAConnection) f.createXAConnection(a.user(), a.password());
    }

    static void closeQuietly(jakarta.jms.Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("TERN-R0006 closing connection: {}", e.toString());
        }
    }

    /** Number of endpoint activations running (for tests and monitoring). */
    int activationCount() {
        return activations.size();
    }

    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ActivationKey k && k.factory == factory && k.spec == spec;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(factory) * 31 + System.identityHashCode(spec);
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        activations = new ConcurrentHashMap<>();
        recoveryConnections = new ConcurrentHashMap<>();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof TernResourceAdapter r && sameConnection(r) && Objects.equals(embeddedBroker, r.embeddedBroker)
                && Objects.equals(embeddedBrokerDataDirectory, r.embeddedBrokerDataDirectory)
                && Objects.equals(embeddedBrokerConfiguration, r.embeddedBrokerConfiguration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionHash(), embeddedBroker, embeddedBrokerDataDirectory);
    }
}
