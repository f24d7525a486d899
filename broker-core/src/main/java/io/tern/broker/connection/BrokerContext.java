package io.tern.broker.connection;

import io.tern.broker.BrokerConfig;
import io.tern.broker.destination.Destinations;
import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.session.Branches;
import io.tern.broker.store.Store;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one broker shares: its configuration, destinations, store and worker threads. */
public final class BrokerContext {
    private final BrokerConfig config;
    private final String brokerVersion;
    private final Destinations destinations;
    private final Store store;
    private final MemoryBudget memory;
    private final Executor workers;
    private final ScheduledExecutorService scheduler;
    private final ClientIds clientIds = new ClientIds();
    private final Branches branches;
    private final String idPrefix;
    private final AtomicLong connectionCounter = new AtomicLong();

    public BrokerContext(BrokerConfig config, String brokerVersion, Destinations destinations, Store store,
                         MemoryBudget memory, Branches branches, Executor workers,
                         ScheduledExecutorService scheduler) {
        this.memory = memory;
        this.config = config;
        this.brokerVersion = brokerVersion;
        this.destinations = destinations;
        this.store = store;
        this.workers = workers;
        this.scheduler = scheduler;
        this.branches = branches;
        this.idPrefix = "ID:" + config.name() + "-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    }

    public BrokerConfig config() {
        return config;
    }

    public String brokerVersion() {
        return brokerVersion;
    }

    public Destinations destinations() {
        return destinations;
    }

    public Store store() {
        return store;
    }

    /** The broker-wide {@code memory-limit} budget of the messages queues and durable subscriptions hold. */
    public MemoryBudget memory() {
        return memory;
    }

    public Executor workers() {
        return workers;
    }

    /** The broker's timer thread: for short tasks that hand work back to a connection's executor. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The broker's XA transaction branches. */
    public Branches branches() {
        return branches;
    }

    public ClientIds clientIds() {
        return clientIds;
    }

    /** A connection id unique while this broker runs. */
    public String nextConnectionId() {
        return idPrefix + connectionCounter.incrementAndGet();
    }
}
