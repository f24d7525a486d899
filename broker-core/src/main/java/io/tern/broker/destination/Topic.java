package io.tern.broker.destination;

import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.flow.FlowLimit;
import io.tern.broker.flow.ProducerFlow;
import io.tern.broker.paging.Paging;
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
    private final DuplicateAudit audit;
    private final ScheduledExecutorService scheduler;
    private final RedeliveryPolicy policy;
    private final java.util.function.Function<String, Queue> queues;
    private final Store store;
    private final DeliveryTimer timer;
    private final Paging paging;
    private final List<TopicSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ProducerFlow flow;
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /**
     * @param policy the redelivery policy of its subscriptions' messages
     * @param queues the queue of a name, created if missing: where exhausted messages go
     * @param paging the memory budget its durable subscriptions charge and where their pages are read
     * @param flowLimit how far a subscription's consumers may fall behind before its producers are paced
     */
    Topic(String name, Store store, ScheduledExecutorService scheduler, RedeliveryPolicy policy,
          java.util.function.Function<String, Queue> queues, Paging paging, FlowLimit flowLimit) {
        this.flow = new ProducerFlow("topic '" + name + "'", flowLimit, scheduler);
        this.name = name;
        this.audit = new DuplicateAudit(name);
        this.store = store;
        this.scheduler = scheduler;
        this.policy = policy;
        this.queues = queues;
        this.paging = paging;
        this.timer = new DeliveryTimer(scheduler);
    }

    @Override
    public String name() {
        return name;
    }

    /** True when a non-durable subscription is open: it holds the messages routed to it in memory, unable to page. */
    public boolean hasNonDurableSubscription() {
        for (TopicSubscription s : subscriptions) {
            if (s.durable() == null) {
                return true;
            }
        }
        return false;
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
                    s.expect(seq);
                    adds.add(new StoreBatch.Add(s.durable().container(), new StoredMessage(seq, message.bytes())));
                }
            }
        }
        Runnable abandon = message.persistent() ? () -> durables.forEach(s -> s.abandon(seq)) : () -> { };
        return new PreparedSend(adds, () -> timer.routeAt(message.header().deliveryTime(),
                () -> publish(message, seq, durables)), abandon);
    }

    /** Runs {@code route} now, or at {@code deliveryTime} when that is later: for paged-in messages. */
    void routeAt(long deliveryTime, Runnable route) {
        timer.routeAt(deliveryTime, route);
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        PreparedSend prepared = prepare(message);
        if (prepared.storeAdds().isEmpty()) {
            prepared.route().run();
            return CompletableFuture.completedFuture(null);
        }
        return store.commit(new StoreBatch(prepared.storeAdds(), List.of())).whenComplete((v, e) -> {
            if (e == null) {
                prepared.route().run();
            } else {
                prepared.abandon().run();
            }
        });
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
    public DuplicateAudit audit() {
        return audit;
    }

    /** Paces its producers to the slowest subscription that has consumers taking messages. */
    @Override
    public ProducerFlow flow() {
        return flow;
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
                expired::incrementAndGet, lastConsumerLeft, paging);
        s.redeliverWith(policy, scheduler, queues);
        subscriptions.add(s);
        return s;
    }

    /** A durable subscription's container holds ids up to {@code maxId}: later sequences must not reuse them. */
    void recovered(long maxId) {
        if (maxId != Long.MIN_VALUE) {
            sequence.accumulateAndGet(maxId + 1, Math::max);
        }
    }

    void remove(TopicSubscription subscription) {
        subscriptions.remove(subscription);
    }

    @Override
    public DestinationStats stats() {
        long pending = 0;
        long paged = 0;
        int inFlight = 0;
        int consumers = 0;
        long consumed = 0;
        for (TopicSubscription s : subscriptions) {
            pending += s.pendingCount();
            paged += s.pagedCount();
            inFlight += s.inFlightCount();
            consumed += s.consumedCount();
            consumers += s.consumerCount();
        }
        return new DestinationStats(name, false, Queue.saturated(pending), inFlight, timer.held(), consumers,
                published.get(), consumed, expired.get(), Queue.saturated(paged));
    }
}
