package io.tern.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an application server's connection manager does, minimally but for real: a pool of idle managed
 * connections matched through the factory, enlistment of the connection's XAResource in the caller's JTA
 * transaction (Narayana), the connection kept with its transaction until it completes, and a connection that
 * reports an error dropped and destroyed.
 */
final class TestConnectionManager implements ConnectionManager, ConnectionEventListener {
    private static final long serialVersionUID = 1L;

    private final transient TransactionManager tm;
    final Set<ManagedConnection> idle = ConcurrentHashMap.newKeySet();
    final List<ConnectionEvent> errors = new CopyOnWriteArrayList<>();
    final Set<ManagedConnection> destroyed = ConcurrentHashMap.newKeySet();
    final AtomicInteger created = new AtomicInteger();
    private final Map<ManagedConnection, Transaction> inTransaction = new ConcurrentHashMap<>();
    private final Set<ManagedConnection> closedInTransaction = ConcurrentHashMap.newKeySet();

    TestConnectionManager(TransactionManager tm) {
        this.tm = tm;
    }

    @Override
    public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
            throws ResourceException {
        try {
            Transaction tx = tm.getTransaction();
            boolean active = tx != null && tx.getStatus() == Status.STATUS_ACTIVE;
            ManagedConnection mc;
            synchronized (this) {
                mc = mcf.matchManagedConnections(new HashSet<>(idle), null, info);
                if (mc != null) {
                    idle.remove(mc);
                }
            }
            if (mc == null) {
                mc = mcf.createManagedConnection(null, info);
                mc.addConnectionEventListener(this);
                created.incrementAndGet();
            }
            if (active) {
                enlist(mc, tx);
            }
            return mc.getConnection(null, info);
        } catch (ResourceException e) {
            throw e;
        } catch (Exception e) {
            throw new ResourceException("enlisting failed: " + e, e);
        }
    }

    private void enlist(ManagedConnection mc, Transaction tx) throws Exception {
        if (!tx.enlistResource(mc.getXAResource())) {
            throw new ResourceException("the transaction refused the resource");
        }
        inTransaction.put(mc, tx);
        tx.registerSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                inTransaction.remove(mc);
                if (closedInTransaction.remove(mc)) {
                    returnToPool(mc);
                }
            }
        });
    }

    private void returnToPool(ManagedConnection mc) {
        if (destroyed.contains(mc)) {
            return;
        }
        try {
            mc.cleanup();
            idle.add(mc);
        } catch (ResourceException e) {
            destroy(mc);
        }
    }

    private void destroy(ManagedConnection mc) {
        idle.remove(mc);
        destroyed.add(mc);
        try {
            mc.destroy();
        } catch (ResourceException e) {
            // gone either way
        }
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        ManagedConnection mc = (ManagedConnection) event.getSource();
        if (inTransaction.containsKey(mc)) {
            closedInTransaction.add(mc);
        } else {
            returnToPool(mc);
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        errors.add(event);
        ManagedConnection mc = (ManagedConnection) event.getSource();
        inTransaction.remove(mc);
        destroy(mc);
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
    }

    void close() {
        for (ManagedConnection mc : idle) {
            destroy(mc);
        }
    }
}
