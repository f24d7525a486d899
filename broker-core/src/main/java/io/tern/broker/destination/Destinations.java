package io.tern.broker.destination;

import io.tern.broker.flow.FlowLimit;
import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.paging.Paging;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.Store;
import io.tern.jms.wire.WireDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's queues and topics by name. A destination is created on first use when auto-creation is on.
 * A temporary destination exists from its owner's TEMP_CREATE until the owner deletes it or ends; only the owner may
 * consume from it, and its messages are never stored (they could not outlive the connection anyway).
 */
public final class Destinations {
    private static final Logger LOG = LoggerFactory.getLogger(Destinations.class);
    private final ConcurrentMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final ConcurrentMap<WireDestination, String> temporaryOwners = new ConcurrentHashMap<>();
    private final Store temporaryStore = new MemoryStore();
    private final Store store;
    private final ScheduledExecutorService scheduler;
    private final Paging paging;
    /** Temporary destinations' messages are on the heap in any case: they never page. */
    private final Paging temporaryPaging;
    private final boolean autoCreate;
    private final RedeliveryPolicy defaultPolicy;
    private final Map<String, RedeliveryPolicy> queuePolicies;
    private final String expiryQueue;
    private final Subscriptions subscriptions;
    private final FlowLimit flowLimit;

    /**
     * @param paging    the memory budget of queues and durable subscriptions, and where their pages are read
     * @param flowLimit how far consumers may fall behind before producers are paced (every destination's)
     */
    public Destinations(Store store, ScheduledExecutorService scheduler, Paging paging, boolean autoCreate,
                        RedeliveryPolicy defaultPolicy, Map<String, RedeliveryPolicy> queuePolicies,
                        String expiryQueue, FlowLimit flowLimit) {
        this.flowLimit = flowLimit;
        this.store = store;
        this.scheduler = scheduler;
        this.paging = paging;
        this.temporaryPaging = new Paging(MemoryBudget.unlimited(), paging.pager());
        this.autoCreate = autoCreate;
        this.defaultPolicy = defaultPolicy;
        this.queuePolicies = Map.copyOf(queuePolicies);
        this.expiryQueue = expiryQueue;
        this.subscriptions = new Subscriptions(store, this::createTopic);
    }

    /** The durable and shared topic subscriptions. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    private RedeliveryPolicy policyOf(String queue) {
        return queuePolicies.getOrDefault(queue, defaultPolicy);
    }

    /** The destination a SEND names, created when allowed. */
    public Destination resolve(WireDestination d) throws UnknownDestinationException {
        if (d.kind().isTemporary()) {
            return temporary(d, null);
        }
        boolean create = autoCreate;
        if (d.kind().isQueue()) {
            if (Subscriptions.isContainer(d.name())) {
                throw new UnknownDestinationException("queue '" + d.name() + "' cannot exist: names starting with '"
                        + Subscriptions.CONTAINER_PREFIX + "' are reserved for durable subscriptions");
            }
            Queue q = create ? createQueue(d.name()) : queues.get(d.name());
            if (q == null) {
                throw new UnknownDestinationException("queue '" + d.name()
                        + "' does not exist and this broker does not create destinations on demand");
            }
            return q;
        }
        Topic t = create ? createTopic(d.name()) : topics.get(d.name());
        if (t == null) {
            throw new UnknownDestinationException("topic '" + d.name()
                    + "' does not exist and this broker does not create destinations on demand");
        }
        return t;
    }

    /** The destination a consumer of {@code connectionId} names; a temporary one must be that connection's own. */
    public Destination resolveForConsumer(WireDestination d, String connectionId) throws UnknownDestinationException {
        return d.kind().isTemporary() ? temporary(d, connectionId) : resolve(d);
    }

    private Destination temporary(WireDestination d, String consumingConnection) throws UnknownDestinationException {
        String owner = temporaryOwners.get(d);
        if (owner == null) {
            throw new UnknownDestinationException(describe(d) + " does not exist: the connection that created it"
                    + " deleted it or has ended");
        }
        if (consumingConnection != null && !owner.equals(consumingConnection)) {
            throw new UnknownDestinationException(describe(d) + " belongs to connection " + owner
                    + "; only that connection may consume from it");
        }
        return d.kind().isQueue() ? queues.get(d.name()) : topics.get(d.name());
    }

    private static String describe(WireDestination d) {
        return (d.kind().isQueue() ? "temporary queue '" : "temporary topic '") + d.name() + "'";
    }

    /**
     * Creates a temporary destination owned by {@code connectionId}.
     *
     * @throws IllegalStateException when a destination of that name exists already
     */
    public void createTemporary(WireDestination d, String connectionId) {
        if (temporaryOwners.putIfAbsent(d, connectionId) != null
                || (d.kind().isQueue() ? queues.containsKey(d.name()) : topics.containsKey(d.name()))) {
            throw new IllegalStateException(describe(d) + " exists already");
        }
        if (d.kind().isQueue()) {
            queues.put(d.name(), new Queue(d.name(), temporaryStore, scheduler, policyOf(d.name()),
                    expiryQueue, this::createQueue, temporaryPaging, flowLimit));
        } else {
            topics.put(d.name(), new Topic(d.name(), temporaryStore, scheduler, defaultPolicy, this::createQueue,
                    temporaryPaging, flowLimit));
        }
    }

    /**
     * Deletes a temporary destination and the messages it holds.
     *
     * @param force delete even while consumers are attached (the owner has ended)
     * @throws IllegalStateException when it has consumers and {@code force} is false, or another connection owns it
     */
    public void deleteTemporary(WireDestination d, String connectionId, boolean force) {
        String owner = temporaryOwners.get(d);
        if (owner == null) {
            return;
        }
        if (!owner.equals(connectionId)) {
            throw new IllegalStateException(describe(d) + " belongs to connection " + owner
                    + "; only that connection may delete it");
        }
        Destination dest = d.kind().isQueue() ? queues.get(d.name()) : topics.get(d.name());
        int consumers = dest == null ? 0 : dest.stats().consumers();
        if (consumers > 0 && !force) {
            throw new IllegalStateException(describe(d) + " still has " + consumers
                    + " consumer(s); close them before deleting it");
        }
        temporaryOwners.remove(d);
        if (d.kind().isQueue()) {
            Queue q = queues.remove(d.name());
            if (q != null) {
                q.purge();
            }
        } else {
            topics.remove(d.name());
        }
    }

    /** Deletes every temporary destination {@code connectionId} owns: the connection has ended. */
    public void deleteTemporaries(String connectionId) {
        for (Map.Entry<WireDestination, String> e : temporaryOwners.entrySet()) {
            if (e.getValue().equals(connectionId)) {
                deleteTemporary(e.getKey(), connectionId, true);
            }
        }
    }

    /**
     * The queue of that name, created if missing.
     *
     * @throws IllegalArgumentException for a name reserved for durable subscriptions' store containers
     */
    public Queue createQueue(String name) {
        if (Subscriptions.isContainer(name)) {
            throw new IllegalArgumentException("queue names starting with '" + Subscriptions.CONTAINER_PREFIX
                    + "' are reserved for durable subscriptions");
        }
        return queues.computeIfAbsent(name, n -> new Queue(n, store, scheduler, policyOf(n), expiryQueue,
                this::createQueue, paging, flowLimit));
    }

    /** The topic of that name, created if missing. */
    public Topic createTopic(String name) {
        return topics.computeIfAbsent(name, n -> new Topic(n, store, scheduler, defaultPolicy, this::createQueue,
                paging, flowLimit));
    }

    /**
     * Drops every waiting message of a queue, those held and those in the store only, and removes them from the
     * store; messages out for delivery stay with their consumers. An unknown queue has none.
     *
     * @return how many messages were dropped
     */
    public long purgeQueue(String name) {
        Queue q = queues.get(name);
        return q == null ? 0 : q.purge();
    }

    public Optional<Queue> queue(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /**
     * Rebuilds every durable subscription and every queue that holds stored messages. Call once, before clients
     * connect. A container left by a subscription that no longer exists (its messages were stored as it was being
     * deleted) is emptied.
     */
    /**
     * The broker is stopping cleanly and nothing is delivered any more: every queue's and durable subscription's
     * delivered mark is lowered to the highest id really delivered, so a clean restart flags only what may have been
     * seen. Waits for the writes.
     */
    public void settleDeliveredMarks() {
        queues.values().forEach(Queue::settleDeliveredMark);
        subscriptions.settleDeliveredMarks();
    }

    public void recover() {
        subscriptions.recover();
        for (String name : store.queueNames()) {
            if (!Subscriptions.isContainer(name)) {
                createQueue(name).recover();
            } else if (!subscriptions.isLiveContainer(name)) {
                List<Long> ids = new ArrayList<>();
                store.recover(name, m -> ids.add(m.id()));
                LOG.warn("TERN-B0314 removing {} stored message(s) of container '{}', whose durable subscription"
                        + " was deleted", ids.size(), name);
                ids.forEach(id -> store.remove(name, id));
            }
        }
    }
}
