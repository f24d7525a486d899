package io.tern.broker.destination;

import io.tern.broker.store.Store;
import io.tern.jms.wire.WireDestination;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The broker's queues and topics by name. A destination is created on first use when auto-creation is on;
 * temporary destinations are always created on first use (their owner made them on the client side).
 */
public final class Destinations {
    private final ConcurrentMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final Store store;
    private final ScheduledExecutorService scheduler;
    private final boolean autoCreate;

    public Destinations(Store store, ScheduledExecutorService scheduler, boolean autoCreate) {
        this.store = store;
        this.scheduler = scheduler;
        this.autoCreate = autoCreate;
    }

    /** The destination a frame names, created when allowed. */
    public Destination resolve(WireDestination d) throws UnknownDestinationException {
        boolean create = autoCreate || d.kind().isTemporary();
        if (d.kind().isQueue()) {
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

    /** The queue of that name, created if missing. */
    public Queue createQueue(String name) {
        return queues.computeIfAbsent(name, n -> new Queue(n, store, scheduler));
    }

    /** The topic of that name, created if missing. */
    public Topic createTopic(String name) {
        return topics.computeIfAbsent(name, n -> new Topic(n, scheduler));
    }

    public Optional<Queue> queue(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** Rebuilds every queue that holds stored messages. Call once, before clients connect. */
    public void recover() {
        for (String name : store.queueNames()) {
            createQueue(name).recover();
        }
    }
}
