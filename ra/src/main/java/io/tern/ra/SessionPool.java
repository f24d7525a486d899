package io.tern.ra;

import io.tern.jms.client.TernXAConnection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.work.WorkException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one activation on one broker connection: {@code maxSessions} {@link DeliveryWorker}s (one for a
 * topic subscription that is not shared, since more would each get every message), each run by the server's work
 * manager. A failure of the connection ends them all; the activation then builds a new pool.
 */
final class SessionPool {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);
    /** How long undeploying waits for deliveries under way to finish. */
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    private final Activation activation;
    private final BrokerAddress address;
    private final boolean transacted;
    private final TernXAConnection connection;
    private final List<DeliveryWorker> workers = new ArrayList<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private CountDownLatch finished;
    private volatile boolean active = true;

    SessionPool(Activation activation, BrokerAddress address, Destination destination, boolean transacted)
            throws JMSException {
        this.activation = activation;
        this.address = address;
        this.transacted = transacted;
        this.connection = TernResourceAdapter.open(address);
        try {
            connection.setExceptionListener(e -> activation.failed(this, e));
            TernActivationSpec spec = activation.spec();
            boolean oneOnly = destination instanceof Topic && !spec.isShared();
            int n = oneOnly ? 1 : spec.getMaxSessions();
            for (int i = 0; i < n; i++) {
                workers.add(new DeliveryWorker(this, i, connection, destination));
            }
        } catch (JMSException | RuntimeException e) {
            TernResourceAdapter.closeQuietly(connection);
            throw e;
        }
    }

    Activation activation() {
        return activation;
    }

    BrokerAddress address() {
        return address;
    }

    boolean transacted() {
        return transacted;
    }

    int size() {
        return workers.size();
    }

    boolean active() {
        return active && !activation.isStopping();
    }

    void start() throws JMSException, ResourceException {
        finished = new CountDownLatch(workers.size());
        connection.start();
        for (DeliveryWorker w : workers) {
            schedule(w);
        }
    }

    void schedule(DeliveryWorker w) throws ResourceException {
        try {
            activation.adapter().workManager().scheduleWork(w);
        } catch (WorkException e) {
            throw new ResourceException("TERN-R0209 the work manager refused a delivery session of "
                    + activation.spec() + ": " + e.getMessage(), e);
        }
    }

    /** A worker has ended for good. */
    void workerDone() {
        CountDownLatch f = finished;
        if (f != null) {
            f.countDown();
        }
    }

    /** A worker hit a failure of the connection; the activation reconnects. */
    void failed(Throwable cause) {
        activation.failed(this, cause);
    }

    void markFailed() {
        active = false;
        failed.countDown();
    }

    /** Waits up to {@code millis} for the connection to be declared failed; true if it was. */
    boolean awaitFailure(long millis) {
        try {
            return failed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Stops the workers, waits for the deliveries under way to complete (their transactions end as the endpoint
     * decides), then closes the connection: the broker takes back every message prefetched but not delivered.
     */
    void shutdown() {
        active = false;
        for (DeliveryWorker w : workers) {
            w.wakeUp();
        }
        CountDownLatch f = finished;
        if (f != null) {
            try {
                if (!f.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("TERN-R0211 activation {}: {} delivery session(s) still busy after {} s; closing the"
                            + " connection anyway", activation.spec(), f.getCount(), SHUTDOWN_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TernResourceAdapter.closeQuietly(connection);
    }
}
