package io.tern.broker;

import io.tern.broker.connection.BrokerContext;
import io.tern.broker.destination.DestinationStats;
import io.tern.broker.destination.Destinations;
import io.tern.broker.management.BrokerControl;
import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.paging.Paging;
import io.tern.broker.server.Server;
import io.tern.broker.session.Branches;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreFactory;
import io.tern.broker.store.StoreLock;
import io.tern.jms.provider.SocketTransport;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tern broker, embeddable: build it from a {@link BrokerConfig}, {@link #start()} it, {@link #stop()} it.
 * While running it accepts TCP connections on {@code host:port} (unless disabled) and in-JVM connections at
 * {@code vm://vmName}.
 *
 * <pre>{@code
 * try (Broker broker = new Broker(BrokerConfig.builder().port(0).build())) {
 *     broker.start();
 *     ... connect to tcp://127.0.0.1:{broker.port()} ...
 * }
 * }</pre>
 *
 * <p>Several brokers may share one store (a journal directory on a shared disk, one database): the store's
 * {@link StoreLock} lets one be active. {@link #start()} of another waits as a standby ({@link State#STANDBY}),
 * listening on nothing, until the lock is free; then it opens the store, recovers and starts listening. A broker
 * that loses the lock (a JDBC lease it could not renew in time) stops serving at once, logs TERN-B0900 and stops;
 * it does not go back to standby (a supervisor restarts it, as a standby).
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final ConcurrentMap<String, Broker> VM_BROKERS = new ConcurrentHashMap<>();

    /** Where a broker is in its life. */
    public enum State {
        /** Not started, or stopped. */
        STOPPED,
        /** Started, waiting for the store's lock, which another broker holds; listening on nothing. */
        STANDBY,
        /** Serving: the store is open and the acceptors are bound. */
        ACTIVE
    }

    /** Told of the changes an operator must see: the launcher prints them. Called on the broker's threads. */
    public interface Listener {
        /** The broker waits as a standby: {@code holder} holds the store's lock. Told again when the holder changes. */
        default void standby(String holder) {
        }

        /** The broker lost the store's lock while active and has stopped; {@code reason} says why. */
        default void lockLost(String reason) {
        }
    }

    private final BrokerConfig config;
    private final boolean ownsStore;
    private Store store;
    private volatile Server server;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private Destinations destinations;
    private BrokerControl control;
    private Branches branches;
    private MemoryBudget memory;
    private boolean started;
    private StoreLock lock;
    private boolean stopRequested;
    private volatile State state = State.STOPPED;
    private volatile Listener listener = new Listener() { };

    /**
     * A broker with the store {@code config.store()} names ({@code memory} by default), found by
     * {@link StoreFactory}; the broker opens it when it starts and closes it when it stops.
     */
    public Broker(BrokerConfig config) {
        this(config, null, true);
    }

    /** A broker that uses {@code store}; the caller keeps it and closes it after the broker stops. */
    public Broker(BrokerConfig config, Store store) {
        this(config, store, false);
    }

    private Broker(BrokerConfig config, Store store, boolean ownsStore) {
        this.config = config;
        this.store = store;
        this.ownsStore = ownsStore;
    }

    /** The software version, from the jar's manifest when there is one. */
    public static String version() {
        String v = Broker.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The running broker reachable at {@code vm://vmName} in this JVM, if any. */
    public static Optional<Broker> atVm(String vmName) {
        return Optional.ofNullable(VM_BROKERS.get(vmName));
    }

    /** Tells {@code listener} of standby and of a lost lock; set before {@link #start()}. */
    public Broker listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    /** Stopped, standby or active. */
    public State state() {
        return state;
    }

    /**
     * Takes the store's lock, recovers stored messages, creates the configured destinations and binds the
     * acceptors. While another broker holds the store's lock it waits as a standby (unless
     * {@link BrokerConfig#standby()} is false): it returns once active, or without starting when {@link #stop()} is
     * called meanwhile. Does nothing when already started.
     *
     * @throws BrokerException when an address is in use (the message names it), the store cannot be read, or the
     *                         store is locked by another broker and {@code standby} is false
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        if (ownsStore) {
            stopRequested = false;
            StoreFactory factory = StoreFactory.named(config.store());
            try {
                lock = factory.lock(config);
            } catch (BrokerException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BrokerException("cannot open the " + config.store() + " store (data-dir "
                        + config.dataDir() + "): " + e.getMessage(), e);
            }
            try {
                if (!awaitLock()) {
                    releaseLock();
                    LOG.info("TERN-B0011 broker '{}' stopped while standby", config.name());
                    return;
                }
                store = StoreFactory.openConfigured(config, lock);
            } catch (RuntimeException e) {
                releaseLock();
                throw e;
            } finally {
                state = State.STOPPED;
            }
            lock.onLost(this::lockLost);
        }
        workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("tern-worker-" + config.name()));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("tern-timer-" + config.name()));
        memory = new MemoryBudget(config.memoryLimitBytes());
        destinations = new Destinations(store, scheduler, new Paging(memory, workers),
                config.autoCreateDestinations(), config.redelivery(), config.queuePolicies(), config.expiryQueue(),
                config.producerFlow());
        destinations.recover();
        config.queues().forEach(destinations::createQueue);
        config.topics().forEach(destinations::createTopic);
        branches = new Branches(store, config.xaDefaultTimeoutSeconds());
        branches.recover(store.prepared(), destinations);
        scheduler.scheduleWithFixedDelay(branches::expire, 1, 1, TimeUnit.SECONDS);
        server = new Server(new BrokerContext(config, version(), destinations, store, memory, branches, workers,
                scheduler));
        try {
            server.start();
        } catch (BrokerException e) {
            shutdownThreads();
            closeOwnedStore();
            releaseLock();
            throw e;
        }
        VM_BROKERS.put(config.vmName(), this);
        started = true;
        state = State.ACTIVE;
        control = BrokerControl.register(this);
        LOG.info("TERN-B0010 broker '{}' {} started{} and at vm://{} (store: {})", config.name(), version(),
                config.tcpEnabled() ? " on tcp://" + config.host() + ":" + port() + " ("
                        + SocketTransport.get().name().toLowerCase(Locale.ROOT) + ")"
                        : "", config.vmName(), store.kind());
    }

    /**
     * Closes every connection, frees the ports, stops the broker's threads and releases the store's lock (a standby
     * takes over at once). A standby stops waiting. Does nothing when not started.
     */
    public synchronized void stop() {
        stop(Stop.CLEAN);
    }

    /**
     * Stops the way a crash looks from outside, for failover tests and drills in one JVM: every connection is cut
     * with no goodbye and the delivered marks are not settled (so, as after a crash, the next broker on the store
     * flags everything that may have been delivered). The store is closed, freeing its lock for a standby.
     */
    public synchronized void halt() {
        stop(Stop.HALT);
    }

    private enum Stop { CLEAN, HALT }

    private void stop(Stop how) {
        if (!started) {
            stopRequested = true;
            notifyAll();
            return;
        }
        started = false;
        state = State.STOPPED;
        if (control != null) {
            control.unregister();
            control = null;
        }
        VM_BROKERS.remove(config.vmName(), this);
        server.stop();
        shutdownThreads();
        if (how == Stop.CLEAN && (lock == null || lock.isHeld())) {
            destinations.settleDeliveredMarks();
        }
        closeOwnedStore();
        releaseLock();
        LOG.info("TERN-B0011 broker '{}' {}", config.name(), how == Stop.CLEAN ? "stopped" : "halted (as if crashed)");
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isStarted() {
        return started;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The kind of store, e.g. {@code memory}. */
    public synchronized String storeKind() {
        return store == null ? config.store() : store.kind();
    }

    /** The bytes the store takes, as its usage limit counts them; 0 when stopped. */
    public synchronized long storeUsedBytes() {
        return started ? store.usedBytes() : 0;
    }

    /**
     * What takes the store's space, one line per data file (or other unit of storage) saying what keeps it: see
     * {@link Store#describeSpace()}. Operators reach it through JMX ({@code io.tern:type=Broker,name=NAME}).
     */
    public List<String> describeStoreSpace() {
        Store s;
        synchronized (this) {
            if (!started) {
                throw new IllegalStateException("broker '" + config.name() + "' is not running");
            }
            s = store;
        }
        return s.describeSpace();
    }

    /**
     * For operators: every in-doubt XA branch (prepared, waiting for its transaction manager) and every branch
     * completed by hand and not yet forgotten, one line each: see {@link Branches#describeInDoubt()}.
     */
    public List<String> describeInDoubtBranches() {
        return runningBranches().describeInDoubt();
    }

    /**
     * Commits ({@code commit}) or rolls back the prepared XA branch {@code xid} ({@code formatId:gtrid:bqual}, gtrid
     * and bqual in hex) by hand, a heuristic decision its transaction manager learns later (XA_HEURCOM or
     * XA_HEURRB). Waits until the store has it.
     *
     * @return what was done
     * @throws IllegalArgumentException when {@code xid} is not an xid or names no in-doubt branch
     * @throws IllegalStateException    when the branch is not prepared, or the store failed
     */
    public String decideInDoubtBranch(String xid, boolean commit) {
        try {
            return runningBranches().decideByHand(xid, commit).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.toString(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the store did not complete branch " + xid + " within 60 s; list the"
                    + " branches again to see whether it did", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while completing branch " + xid, e);
        }
    }

    private synchronized Branches runningBranches() {
        if (!started) {
            throw new IllegalStateException("broker '" + config.name() + "' is not running");
        }
        return branches;
    }

    /** The TCP port the broker listens on (the real one when configured as 0); -1 when TCP is off or stopped. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }

    /** Open client connections. */
    public synchronized int connectionCount() {
        return started ? server.connectionCount() : 0;
    }

    /** Creates a queue unless it exists. */
    public void createQueue(String name) {
        running().createQueue(name);
    }

    /** Creates a topic unless it exists. */
    public void createTopic(String name) {
        running().createTopic(name);
    }

    /** Messages a queue holds (pending, in flight, scheduled); 0 for a queue that does not exist. */
    public int queueDepth(String name) {
        return queueStats(name).map(DestinationStats::messageCount).orElse(0);
    }

    public Optional<DestinationStats> queueStats(String name) {
        return running().queue(name).map(q -> q.stats());
    }

    public Optional<DestinationStats> topicStats(String name) {
        return running().topic(name).map(t -> t.stats());
    }

    /**
     * Drops every waiting message of a queue, including those paged out to the store, and removes them from the
     * store; messages out for delivery stay with their consumers.
     *
     * @return how many messages were dropped; 0 for a queue that does not exist
     */
    public long purgeQueue(String name) {
        return running().purgeQueue(name);
    }

    /**
     * The memory budget ({@code memory-limit}) of the messages queues and durable subscriptions hold: its limit,
     * what is held now and the most held since start.
     *
     * @throws IllegalStateException when the broker has not been started
     */
    public synchronized MemoryBudget memory() {
        if (memory == null) {
            throw new IllegalStateException("broker '" + config.name() + "' has not been started");
        }
        return memory;
    }

    private synchronized Destinations running() {
        if (destinations == null) {
            throw new IllegalStateException("broker '" + config.name() + "' has not been started");
        }
        return destinations;
    }

    /**
     * Tries the store's lock until it is held (true) or {@link #stop()} is called (false), waiting on this broker's
     * monitor between tries so that {@code stop()} and the getters are not held up. Under the monitor.
     */
    private boolean awaitLock() {
        String shown = null;
        while (!stopRequested) {
            String holder;
            try {
                if (lock.tryAcquire()) {
                    if (shown != null) {
                        LOG.info("TERN-B0902 broker '{}' acquired the store lock (held before by {}); becoming active",
                                config.name(), shown);
                    }
                    return true;
                }
                holder = lock.holder();
            } catch (RuntimeException e) {
                if (!config.standby()) {
                    throw e;
                }
                holder = "nobody reachable (" + e.getMessage() + ")";
            }
            if (!config.standby()) {
                throw new BrokerException("broker '" + config.name() + "' cannot start: the " + config.store()
                        + " store is in use by another broker: its lock is held by " + holder + " (ha.standby=false;"
                        + " with ha.standby=true it would wait as a standby)");
            }
            if (!holder.equals(shown)) {
                LOG.info("TERN-B0901 broker '{}' standby: waiting for the store lock held by {} (trying every {} ms)",
                        config.name(), holder, config.standbyPollMillis());
                shown = holder;
                state = State.STANDBY;
                listener.standby(holder);
            }
            try {
                wait(config.standbyPollMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("broker '" + config.name() + "' was interrupted while standby", e);
            }
        }
        return false;
    }

    /**
     * The store's lock was lost (a lease not renewed in time): the store refuses writes already; close the
     * acceptors and every connection now, then stop. On the lock's thread.
     */
    private void lockLost(String reason) {
        LOG.error("TERN-B0900 broker '{}' lost the store lock and stops serving now: {}", config.name(), reason);
        Thread stopper = new Thread(() -> {
            Server s = server;
            if (s != null) {
                s.stop();
            }
            stop();
            listener.lockLost(reason);
        }, "tern-lock-lost-" + config.name());
        stopper.start();
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private void closeOwnedStore() {
        if (ownsStore && store != null) {
            store.close();
            store = null;
        }
    }

    private void shutdownThreads() {
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
