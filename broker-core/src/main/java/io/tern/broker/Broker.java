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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    private static final ConcurrentMap<String, Broker> VM_BROKERS = new ConcurrentHashMap<>();

    private final BrokerConfig config;
    private final boolean ownsStore;
    private Store store;
    private Server server;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private Destinations destinations;
    private BrokerControl control;
    private MemoryBudget memory;
    private boolean started;

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

    /**
     * Recovers stored messages, creates the configured destinations and binds the acceptors. Does nothing when
     * already started.
     *
     * @throws BrokerException when an address is in use (the message names it) or the store cannot be read
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        if (ownsStore) {
            store = StoreFactory.openConfigured(config);
        }
        workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("tern-worker-" + config.name()));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("tern-timer-" + config.name()));
        memory = new MemoryBudget(config.memoryLimitBytes());
        destinations = new Destinations(store, scheduler, new Paging(memory, workers),
                config.autoCreateDestinations(), config.redelivery(), config.queuePolicies(), config.expiryQueue());
        destinations.recover();
        config.queues().forEach(destinations::createQueue);
        config.topics().forEach(destinations::createTopic);
        Branches branches = new Branches(store);
        branches.recover(store.prepared(), destinations);
        server = new Server(new BrokerContext(config, version(), destinations, store, branches, workers, scheduler));
        try {
            server.start();
        } catch (BrokerException e) {
            shutdownThreads();
            closeOwnedStore();
            throw e;
        }
        VM_BROKERS.put(config.vmName(), this);
        started = true;
        control = BrokerControl.register(this);
        LOG.info("TERN-B0010 broker '{}' {} started{} and at vm://{} (store: {})", config.name(), version(),
                config.tcpEnabled() ? " on tcp://" + config.host() + ":" + port() : "", config.vmName(), store.kind());
    }

    /** Closes every connection, frees the ports and stops the broker's threads. Does nothing when not started. */
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
            return;
        }
        started = false;
        if (control != null) {
            control.unregister();
            control = null;
        }
        VM_BROKERS.remove(config.vmName(), this);
        server.stop();
        shutdownThreads();
        if (how == Stop.CLEAN) {
            destinations.settleDeliveredMarks();
        }
        closeOwnedStore();
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
