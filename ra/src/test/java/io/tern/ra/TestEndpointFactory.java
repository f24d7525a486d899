package io.tern.ra;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAResource;

/**
 * A message-driven bean as its container presents it to the adapter. For a transacted bean each endpoint does what
 * an EJB container does: {@code beforeDelivery} begins a Narayana transaction and enlists the XAResource the
 * adapter gave to {@code createEndpoint}; a bean that throws marks the transaction rollback-only;
 * {@code afterDelivery} commits or rolls back. {@link #committed} lists the texts whose delivery committed.
 */
final class TestEndpointFactory implements MessageEndpointFactory {
    interface Bean {
        void onMessage(Message m) throws Exception;
    }

    private final TransactionManager tm;
    private final boolean transacted;
    private final Bean bean;
    final List<String> committed = new CopyOnWriteArrayList<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();

    TestEndpointFactory(TransactionManager tm, boolean transacted, Bean bean) {
        this.tm = tm;
        this.transacted = transacted;
        this.bean = bean;
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
        if (transacted && xaResource == null) {
            throw new UnavailableException("a transacted bean needs an XAResource");
        }
        created.incrementAndGet();
        return new Endpoint(xaResource);
    }

    @Override
    public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
        return createEndpoint(xaResource);
    }

    @Override
    public boolean isDeliveryTransacted(Method method) {
        return transacted;
    }

    @Override
    public String getActivationName() {
        return "test-mdb";
    }

    @Override
    public Class<?> getEndpointClass() {
        return Endpoint.class;
    }

    static String text(Message m) {
        try {
            return m instanceof TextMessage t ? t.getText() : m.getJMSMessageID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    final class Endpoint implements MessageEndpoint, MessageListener {
        private final XAResource xaResource;

        Endpoint(XAResource xaResource) {
            this.xaResource = xaResource;
        }

        @Override
        public void beforeDelivery(Method method) throws ResourceException {
            try {
                tm.begin();
                if (!tm.getTransaction().enlistResource(xaResource)) {
                    throw new ResourceException("enlisting the adapter's XAResource was refused");
                }
            } catch (ResourceException e) {
                throw e;
            } catch (Exception e) {
                throw new ResourceException("beginning the delivery transaction failed: " + e, e);
            }
        }

        @Override
        public void onMessage(Message message) {
            String text = text(message);
            attempts.add(text);
            try {
                if (transacted) {
                    tm.getTransaction().registerSynchronization(new Synchronization() {
                        @Override
                        public void beforeCompletion() {
                        }

                        @Override
                        public void afterCompletion(int status) {
                            if (status == Status.STATUS_COMMITTED) {
                                committed.add(text);
                            }
                        }
                    });
                }
                bean.onMessage(message);
                if (!transacted) {
                    committed.add(text);
                }
            } catch (Exception e) {
                if (transacted) {
                    try {
                        tm.setRollbackOnly();
                    } catch (Exception x) {
                        throw new IllegalStateException(x);
                    }
                }
                throw e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
        }

        @Override
        public void afterDelivery() throws ResourceException {
            try {
                if (tm.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                    tm.rollback();
                } else {
                    tm.commit();
                }
            } catch (Exception e) {
                throw new ResourceException("completing the delivery transaction failed: " + e, e);
            }
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }
}
