package io.tern.ra;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Topic;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
import java.beans.IntrospectionException;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message-driven bean's activation: it connects (in a {@link Work}, so deployment never waits for the
 * broker), runs a {@link SessionPool} of delivering sessions, and when the broker goes away it closes that pool and
 * connects again with back-off ({@code reconnectInterval}, times {@code reconnectBackoff} after each failure, at
 * most {@code maxReconnectInterval}) until the broker is back or the bean is undeployed.
 */
final class Activation {
    private static final Logger LOG = LoggerFactory.getLogger(Activation.class);
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TernResourceAdapter adapter;
    private final MessageEndpointFactory factory;
    private final TernActivationSpec spec;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private SessionPool current;
    private volatile int connects;
    /** What {@link #resolveLookups()} found; null when the spec names no connection factory or destination. */
    private volatile BrokerAddress lookedUpBase;
    private volatile Destination lookedUpDestination;

    Activation(TernResourceAdapter adapter, MessageEndpointFactory factory, TernActivationSpec spec) {
        this.adapter = adapter;
        this.factory = factory;
        this.spec = spec;
    }

    TernResourceAdapter adapter() {
        return adapter;
    }

    MessageEndpointFactory factory() {
        return factory;
    }

    TernActivationSpec spec() {
        return spec;
    }

    /** How many times the activation has connected (1 after the first connect; more after reconnects). */
    int connects() {
        return connects;
    }

    synchronized boolean isConnected() {
        return current != null;
    }

    void start() throws ResourceException {
        schedule(() -> connectLoop(0), "connecting");
    }

    /** Undeploy: stop delivering, let every delivery under way finish, give back what was prefetched. */
    void stop() {
        SessionPool p;
        synchronized (this) {
            stopping = true;
            stopped.countDown();
            p = current;
            current = null;
        }
        if (p != null) {
            p.shutdown();
        }
        LOG.info("TERN-R0203 activation {} stopped", spec);
    }

    boolean isStopping() {
        return stopping;
    }

    /** The connection of {@code pool} failed: close it and connect again, with back-off. */
    void failed(SessionPool pool, Throwable cause) {
        synchronized (this) {
            if (stopping || pool != current) {
                return;
            }
            current = null;
        }
        LOG.warn("TERN-R0205 activation {} lost its connection to {}: {}; reconnecting every {} ms and more", spec,
                pool.address(), cause.toString(), spec.getReconnectInterval());
        pool.markFailed();
        try {
            schedule(() -> {
                pool.shutdown();
                connectLoop(spec.getReconnectInterval());
            }, "reconnecting");
        } catch (ResourceException e) {
            LOG.error("TERN-R0206 activation {} cannot schedule its reconnection: {}", spec, e.toString());
        }
    }

    private void connectLoop(long firstDelay) {
        long delay = firstDelay;
        while (!stopping) {
            try {
                if (delay > 0 && stopped.await(delay, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            SessionPool pool = null;
            try {
                pool = new SessionPool(this, address(), destination(), factory.isDeliveryTransacted(ON_MESSAGE));
                synchronized (this) {
                    if (stopping) {
                        pool.shutdown();
                        return;
                    }
                    current = pool;
                }
                pool.start();
                connects++;
                LOG.info("TERN-R0204 activation {} delivers from {} with {} session(s){}", spec, pool.address(),
                        pool.size(), pool.transacted() ? " in XA transactions" : "");
                return;
            } catch (JMSException | ResourceException | NoSuchMethodException
                    | RuntimeException e) {
                if (pool != null) {
                    synchronized (this) {
                        if (current == pool) {
                            current = null;
                        }
                    }
                    pool.shutdown();
                }
                delay = delay <= 0 ? spec.getReconnectInterval()
                        : Math.min((long) (delay * spec.getReconnectBackoff()), spec.getMaxReconnectInterval());
                LOG.warn("TERN-R0207 activation {} cannot connect: {}; next attempt in {} ms", spec, e.toString(),
                        delay);
            }
        }
    }

    void schedule(Runnable task, String what) throws ResourceException {
        try {
            adapter.workManager().scheduleWork(new Work() {
                @Override
                public void release() {
                    // the loop ends when the activation stops
                }

                @Override
                public void run() {
                    task.run();
                }

                @Override
                public String toString() {
                    return "tern activation " + spec + " " + what;
                }
            });
        } catch (WorkException e) {
            throw new ResourceException("TERN-R0208 the work manager refused to run " + what + " for " + spec
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JNDI lookups of the spec ({@code connectionFactoryLookup}, {@code destinationLookup}), done once when the
     * bean is activated, so that a name that is not bound, or names something else, fails the deployment with an
     * error that names the property, instead of a connect loop that can never succeed.
     */
    void resolveLookups() throws InvalidPropertyException {
        String cfName = spec.getConnectionFactoryLookup();
        if (!TernActivationSpec.blank(cfName)) {
            Object cf = lookup("connectionFactoryLookup", cfName);
            if (cf instanceof TernPooledConnectionFactory p) {
                lookedUpBase = p.managedFactory().defaults();
            } else if (cf instanceof TernConnectionFactory t) {
                lookedUpBase = new BrokerAddress(t.getBrokerURL(), t.getUser(), t.getPassword(), t.getClientID());
            } else {
                throw invalid("connectionFactoryLookup", "'" + cfName + "' names " + describe(cf)
                        + ", not a Tern connection factory (such as the adapter's java:/TernConnectionFactory)");
            }
        }
        String destName = spec.getDestinationLookup();
        if (!TernActivationSpec.blank(destName)) {
            Object d = lookup("destinationLookup", destName);
            if (!(d instanceof Destination dest)) {
                throw invalid("destinationLookup", "'" + destName + "' names " + describe(d)
                        + ", not a jakarta.jms.Destination");
            }
            try {
                lookedUpDestination = Destinations.toTern(dest);
            } catch (JMSException e) {
                throw invalid("destinationLookup", "'" + destName + "': " + e.getMessage());
            }
            boolean topic = lookedUpDestination instanceof Topic;
            if (!TernActivationSpec.blank(spec.getDestinationType())
                    && topic != TernActivationSpec.TOPIC.equals(spec.getDestinationType())) {
                throw invalid("destinationLookup", "'" + destName + "' names " + describe(d) + ", a "
                        + (topic ? "topic" : "queue") + ", but destinationType is " + spec.getDestinationType());
            }
        }
    }

    private Object lookup(String property, String name) throws InvalidPropertyException {
        try {
            return new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw invalid(property, "'" + name + "' cannot be looked up in JNDI: " + e);
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o + " (" + o.getClass().getName() + ")";
    }

    private InvalidPropertyException invalid(String property, String why) {
        String text = "TERN-R0218 activation " + spec + ": " + property + " " + why;
        LOG.error(text);
        InvalidPropertyException e = new InvalidPropertyException(text);
        try {
            e.setInvalidPropertyDescriptors(new PropertyDescriptor[] {
                    new PropertyDescriptor(property, TernActivationSpec.class)});
        } catch (IntrospectionException never) {
            // both names are properties of TernActivationSpec
        }
        return e;
    }

    /** The broker address: the looked-up connection factory's, else the spec's and the adapter's settings. */
    private BrokerAddress address() {
        return spec.address(lookedUpBase != null ? lookedUpBase : adapter.defaults());
    }

    /** The destination: the one looked up ({@code destinationLookup}), or named ({@code destination}). */
    Destination destination() {
        if (lookedUpDestination != null) {
            return lookedUpDestination;
        }
        return spec.isTopic() ? new TernTopic(spec.getDestination()) : new TernQueue(spec.getDestination());
    }
}
