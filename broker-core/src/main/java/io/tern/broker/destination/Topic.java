package io.tern.broker.destination;

import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publish-subscribe destination. Each plain consumer gets its own {@link TopicSubscription}, which receives every
 * message published after it was opened; durable and shared subscriptions (kept by {@link Subscriptions}) are
 * attached here too. A persistent message is stored once per durable subscription it goes to, all in one store
 * batch, before it is routed; the message's sequence is its id in each subscription's container.
 */
public final class Topic implements Destination {
    private final String name;
    private final ScheduledExecutorService scheduler;
    private final RedeliveryPolicy policy;
    private final java.util.function.Function<String, Queue> queues;
    private final Store store;
    private final DeliveryTimer timer;
    private final List<TopicSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /**
     * @param policy the redelivery policy of its subscriptions' messages
     * @param queues the queue of a name, created if missing: where exhausted messages go
     */
    Topic(String name, Store store, ScheduledExecutorService scheduler, RedeliveryPolicy policy,
          java.util.function.Function<String, Queue> queues) {
        this.name = name;
        this.store = store;
        this.scheduler = scheduler;
        this.policy = policy;
        this.queues = queues;
        this.timer = new DeliveryTimer(scheduler);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Chooses the durable subscriptions a message goes to now (those existing when it is sent), and for a persistent
     * message what each must store; the plain and shared non-durable subscriptions are chosen when it is routed.
     */
    @Override
    public PreparedSend prepare(BrokerMessage message) {
        long seq = sequence.getAndIncrement();
        List<TopicSubscription> durables = new ArrayList<>();
        List<StoreBatch.Add> adds = new ArrayList<>();
        for (TopicSubscription s : subscriptions) {
            if (s.durable() != null && s.accepts(message)) {
                durables.add(s);
                if (message.persistent()) {
                    adds.add(new StoreBatch.Add(s.durable().container(), new StoredMessage(seq, message.bytes())));
                }
            }
        }
        return new PreparedSend(adds, () -> timer.routeAt(message.header().deliveryTime(),
                () -> publish(message, seq, durables)));
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        PreparedSend prepared = prepare(message);
        if (prepared.storeAdds().isEmpty()) {
            prepared.route().run();
            return CompletableFuture.completedFuture(null);
        }
        return store.commit(new StoreBatch(prepared.storeAdds(), List.of())).thenRun(prepared.route());
    }

    private void publish(BrokerMessage message, long seq, List<TopicSubscription> durables) {
        if (message.isExpired(System.currentTimeMillis())) {
            expired.incrementAndGet();
            durables.forEach(s -> s.forget(new QueueEntry(message, seq)));
            return;
        }
        published.incrementAndGet();
        for (TopicSubscription s : durables) {
            s.enqueue(new QueueEntry(message, seq));
        }
        for (TopicSubscription s : subscriptions) {
            if (s.durable() == null) {
                s.offer(message, seq);
            }
        }
    }

    @Override
    public Subscription subscribe(Subscriber subscriber, int prefetch, boolean noLocal, String connectionId,
                                  MessageFilter filter) {
        TopicSubscription s = newSubscription(filter, noLocal ? connectionId : null, null, null,
                TopicSubscription::close);
        return s.attach(subscriber, prefetch);
    }

    /** Makes a subscription and adds it to this topic; see {@link TopicSubscription}. */
    TopicSubscription newSubscription(MessageFilter filter, String skipConnection, String skipClientId,
                                      io.tern.broker.store.StoredSubscription durable,
                                      java.util.function.Consumer<TopicSubscription> lastConsumerLeft) {
        TopicSubscription s = new TopicSubscription(this, filter, skipConnection, skipClientId, durable, store,
                expired::incrementAndGet, lastConsumerLeft);
        s.redeliverWith(policy, scheduler, queues);
        subscriptions.add(s);
        return s;
    }

    /** A recovered message of a durable subscription: later sequences must not reuse its id. */
    void recovered(TopicSubscription s, QueueEntry entry) {
        sequence.accumulateAndGet(entry.sequence() + 1, Math::max);
        s.enqueue(entry);
    }

    void remove(TopicSubscription subscription) {
        subscriptions.remove(subscription);
    }

    @Override
    public DestinationStats stats() {
        int pending = 0;
        int inFlight = 0;
        int consumers = 0;
        long consumed = 0;
        for (TopicSubscription s : subscriptions) {
            pending += s.pendingCount();
            inFlight += s.inFlightCount();
            consumed += s.consumedCount();
            consumers += s.consumerCount();
        }
        return new DestinationStats(name, false, pending, inFlight, timer.held(), consumers,
                published.get(), consumed, expired.get());
    }
}
