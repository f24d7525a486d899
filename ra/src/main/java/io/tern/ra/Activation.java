package io.tern.ra;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkException;
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
            } catch (JMSException | ResourceException | NamingException | NoSuchMethodException
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

    /** The broker address: the connection factory looked up, else the spec's and the adapter's settings. */
    private BrokerAddress address() throws NamingException {
        BrokerAddress base = adapter.defaults();
        if (!TernActivationSpec.blank(spec.getConnectionFactoryLookup())) {
            Object cf = new InitialContext().lookup(spec.getConnectionFactoryLookup());
            if (cf instanceof TernPooledConnectionFactory p) {
                base = p.managedFactory().defaults();
            } else if (cf instanceof TernConnectionFactory t) {
                base = new BrokerAddress(t.getBrokerURL(), t.getUser(), t.getPassword(), t.getClientID());
            } else {
                throw new NamingException("connectionFactoryLookup " + spec.getConnectionFactoryLookup() + " names "
                        + cf + ", not a Tern connection factory");
            }
        }
        return spec.address(base);
    }

    /** The destination: looked up ({@code destinationLookup}) or named ({@code destination}, destinationType). */
    Destination destination() throws NamingException, JMSException {
        if (!TernActivationSpec.blank(spec.getDestinationLookup())) {
            Object d = new InitialContext().lookup(spec.getDestinationLookup());
            if (!(d instanceof Destination dest)) {
                throw new NamingException("destinationLookup " + spec.getDestinationLookup() + " names " + d
                        + ", not a jakarta.jms.Destination");
            }
            return Destinations.toTern(dest);
        }
        return spec.isTopic() ? new TernTopic(spec.getDestination()) : new TernQueue(spec.getDestination());
    }
}
