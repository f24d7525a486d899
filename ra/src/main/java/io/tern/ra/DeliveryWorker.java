package io.tern.ra;

import io.tern.jms.client.TernMessageConsumer;
import io.tern.jms.client.TernXAConnection;
import io.tern.jms.client.TernXASession;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.work.Work;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivering session of an activation, run as {@link Work}. When the bean's {@code onMessage} is transacted
 * the session is an XA session whose resource is given to {@code createEndpoint}: each delivery is
 * {@code beforeDelivery} (the container begins the transaction and enlists the resource), the receive, the
 * {@code onMessage}, and {@code afterDelivery} (the container commits, or rolls back and the broker delivers the
 * message again). Otherwise the session is locally transacted: committed after {@code onMessage} returns, rolled
 * back when it throws. After {@code maxMessagesPerSession} deliveries the worker gives its thread back to the work
 * manager and is scheduled again.
 */
final class DeliveryWorker implements Work {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final SessionPool pool;
    private final int index;
    private final Session session;
    private final XAResource xaResource;
    private final MessageConsumer consumer;
    private final Destination destination;
    private final TernActivationSpec spec;
    private MessageEndpoint endpoint;
    private MessageProducer deadLetters;
    private volatile boolean released;

    DeliveryWorker(SessionPool pool, int index, TernXAConnection connection, Destination destination)
            throws JMSException {
        this.pool = pool;
        this.index = index;
        this.destination = destination;
        this.spec = pool.activation().spec();
        if (pool.transacted()) {
            TernXASession xa = (TernXASession) connection.createXASession();
            session = xa;
            xaResource = xa.getXAResource();
        } else {
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            xaResource = null;
        }
        consumer = createConsumer();
    }

    private MessageConsumer createConsumer() throws JMSException {
        String selector = TernActivationSpec.blank(spec.getMessageSelector()) ? null : spec.getMessageSelector();
        if (!(destination instanceof Topic topic)) {
            return session.createConsumer(destination, selector);
        }
        String name = spec.getSubscriptionName();
        if (spec.isDurable()) {
            return spec.isShared() ? session.createSharedDurableConsumer(topic, name, selector)
                    : session.createDurableConsumer(topic, name, selector, false);
        }
        return spec.isShared() ? session.createSharedConsumer(topic, name, selector)
                : session.createConsumer(topic, selector);
    }

    @Override
    public void run() {
        boolean again = false;
        try {
            if (endpoint == null) {
                endpoint = pool.activation().factory().createEndpoint(xaResource);
            }
            int delivered = 0;
            while (pool.active() && !released) {
                if (deliverOne()) {
                    if (++delivered >= spec.getMaxMessagesPerSession()) {
                        again = pool.active() && !released;
                        break;
                    }
                }
            }
        } catch (UnavailableException e) {
            LOG.warn("TERN-R0212 activation {} session {}: no endpoint available: {}", spec, index, e.toString());
            pool.failed(e);
        } catch (JMSException | ResourceException e) {
            pool.failed(e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        if (again) {
            try {
                pool.schedule(this);
                return;
            } catch (ResourceException e) {
                LOG.warn("TERN-R0213 activation {} session {} cannot be scheduled again: {}", spec, index,
                        e.toString());
            }
        }
        finish();
    }

    private void finish() {
        if (endpoint != null) {
            endpoint.release();
            endpoint = null;
        }
        try {
            consumer.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("TERN-R0214 closing consumer: {}", e.toString());
        }
        pool.workerDone();
    }

    /**
     * One delivery; false when no message came within receiveTimeout. The worker first waits for a message without
     * taking it, so an idle destination costs no transactions; the message is then received inside the
     * transaction (XA: between beforeDelivery and afterDelivery), which its acknowledgement belongs to.
     */
    private boolean deliverOne() throws JMSException, ResourceException, NoSuchMethodException {
        long timeout = spec.getReceiveTimeout();
        if (!messageReady(timeout)) {
            return false;
        }
        Message m;
        if (xaResource != null) {
            endpoint.beforeDelivery(Activation.ON_MESSAGE);
            try {
                m = consumer.receiveNoWait();
                if (m != null) {
                    dispatch(m);
                }
            } finally {
                endpoint.afterDelivery();
            }
        } else {
            m = consumer.receiveNoWait();
            if (m != null) {
                try {
                    dispatch(m);
                    session.commit();
                } catch (DeliveryFailed e) {
                    session.rollback();
                }
            }
        }
        return m != null;
    }

    private boolean messageReady(long timeout) throws JMSException {
        long started = System.nanoTime();
        boolean ready = consumer instanceof TernMessageConsumer t ? t.awaitMessage(timeout) : true;
        if (!ready && System.nanoTime() - started < timeout * 500_000L) {
            // the wait ended early: the connection is closing or lost; wait for the verdict rather than spin
            pool.awaitFailure(Math.min(timeout, 200));
        }
        return ready;
    }

    /** Thrown (locally transacted delivery only) when onMessage threw, so the session rolls back. */
    private static final class DeliveryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliveryFailed(RuntimeException cause) {
            super(cause);
        }
    }

    private void dispatch(Message m) throws JMSException {
        int max = spec.getMaxDeliveryAttempts();
        int count = deliveryCount(m);
        if (max > 0 && count > max) {
            if (deadLetters == null) {
                deadLetters = session.createProducer(session.createQueue(spec.getDeadLetterQueue()));
            }
            deadLetters.send(m, m.getJMSDeliveryMode(), m.getJMSPriority(), 0);
            LOG.warn("TERN-R0215 activation {}: message {} delivered {} times (maxDeliveryAttempts {}) moved to {}",
                    spec, m.getJMSMessageID(), count - 1, max, spec.getDeadLetterQueue());
            return;
        }
        try {
            ((MessageListener) endpoint).onMessage(m);
        } catch (RuntimeException e) {
            LOG.warn("TERN-R0216 activation {}: onMessage threw for message {} (delivery {}): {}; it will be"
                    + " delivered again", spec, m.getJMSMessageID(), count, e.toString());
            if (xaResource == null) {
                throw new DeliveryFailed(e);
            }
        }
    }

    private static int deliveryCount(Message m) {
        try {
            return m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
        } catch (JMSException e) {
            return 1;
        }
    }

    /** Wakes a receive so that the worker sees that it must stop. */
    void wakeUp() {
        released = true;
        try {
            consumer.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("TERN-R0217 closing consumer to stop: {}", e.toString());
        }
    }

    @Override
    public void release() {
        released = true;
    }

    @Override
    public String toString() {
        return "tern delivery " + spec + " session " + index;
    }
}
