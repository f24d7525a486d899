package io.tern.ra;

import jakarta.jms.JMSException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.security.PasswordCredential;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * Makes the pooled connections behind the {@code jakarta.jms.ConnectionFactory} (and Queue/Topic connection
 * factories) an application looks up. Each managed connection is one broker connection with one XA-capable
 * session; the container enlists it in JTA transactions (XA), drives it through local transactions, or uses it
 * outside any transaction.
 *
 * <p>Config properties: {@code ServerUrl}, {@code UserName}, {@code Password}, {@code ClientId},
 * {@code ConnectionParameters}; each one left unset but {@code ClientId} takes the resource adapter's value. A
 * client id is unique on the broker, so a factory with {@code ClientId} needs a pool of at most one connection.
 */
public class TernManagedConnectionFactory extends ConnectionProperties
        implements ManagedConnectionFactory, ResourceAdapterAssociation {
    private static final long serialVersionUID = 1L;

    private transient TernResourceAdapter adapter;
    private transient PrintWriter logWriter;

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof TernResourceAdapter t)) {
            throw new ResourceException("TERN-R0101 " + ra + " is not a TernResourceAdapter");
        }
        if (adapter != null && adapter != ra) {
            throw new jakarta.resource.spi.IllegalStateException("TERN-R0102 the managed connection factory is"
                    + " already associated with a resource adapter");
        }
        this.adapter = t;
    }

    @Override
    public Object createConnectionFactory(ConnectionManager cm) {
        return new TernPooledConnectionFactory(this, cm);
    }

    /** Outside an application server: every connection is opened for its user and closed with it. */
    @Override
    public Object createConnectionFactory() {
        return new TernPooledConnectionFactory(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        BrokerAddress address = address(subject, info);
        try {
            return new TernManagedConnection(this, address);
        } catch (JMSException e) {
            ResourceAllocationException r = new ResourceAllocationException("TERN-R0103 cannot connect to "
                    + address + ": " + e.getMessage(), e);
            r.initCause(e);
            throw r;
        }
    }

    /** The first connection of {@code set} opened for the same broker and credentials, and still working. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set set, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        BrokerAddress wanted = address(subject, info);
        for (Object o : set) {
            if (o instanceof TernManagedConnection mc && mc.factory().equals(this) && mc.address().equals(wanted)
                    && mc.isUsable()) {
                return mc;
            }
        }
        return null;
    }

    /**
     * The broker and credentials for a new connection: the container's {@link PasswordCredential} for this
     * factory when the {@code Subject} has one (container-managed sign-on), else the application's
     * {@code createConnection(user, password)}, else the factory's and then the adapter's configured ones.
     */
    BrokerAddress address(Subject subject, ConnectionRequestInfo info) {
        BrokerAddress base = defaults();
        String user = base.user();
        String pass = base.password();
        PasswordCredential credential = credentialFor(subject);
        if (credential != null) {
            user = credential.getUserName();
            pass = credential.getPassword() == null ? null : new String(credential.getPassword());
        } else if (info instanceof TernConnectionRequestInfo cri) {
            user = cri.user();
            pass = cri.password();
        }
        return new BrokerAddress(base.url(), user, pass, base.clientId());
    }

    private PasswordCredential credentialFor(Subject subject) {
        if (subject == null) {
            return null;
        }
        for (PasswordCredential c : subject.getPrivateCredentials(PasswordCredential.class)) {
            if (c.getManagedConnectionFactory() == null || this.equals(c.getManagedConnectionFactory())) {
                return c;
            }
        }
        return null;
    }

    /** This factory's settings with the adapter's for those not set. */
    BrokerAddress defaults() {
        BrokerAddress ra = adapter != null ? adapter.defaults()
                : new BrokerAddress(io.tern.jms.client.TernConnectionFactory.DEFAULT_BROKER_URL, null, null, null);
        // not the adapter's ClientId: a client id is unique on the broker, so it cannot be every pooled connection's
        return over(new BrokerAddress(ra.url(), ra.user(), ra.password(), null));
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
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof TernManagedConnectionFactory f && o.getClass() == getClass() && sameConnection(f)
                && adapter == f.adapter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass().getName(), connectionHash());
    }
}
