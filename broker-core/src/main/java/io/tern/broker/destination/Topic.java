package io.tern.broker.destination;

import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publish-subscribe destination. Each consumer gets its own {@link TopicSubscription}, which receives every
 * message published after it was opened. Subscriptions are non-durable: their messages live in memory only.
 */
public final class Topic implements Destination {
    private final String name;
    private final DeliveryTimer timer;
    private final List<TopicSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong(1);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    Topic(String name, ScheduledExecutorService scheduler) {
        this.name = name;
        this.timer = new DeliveryTimer(scheduler);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PreparedSend prepare(BrokerMessage message) {
        return new PreparedSend(null, () -> timer.routeAt(message.header().deliveryTime(), () -> publish(message)));
    }

    @Override
    public CompletableFuture<Void> send(BrokerMessage message) {
        prepare(message).route().run();
        return CompletableFuture.completedFuture(null);
    }

    private void publish(BrokerMessage message) {
        if (message.isExpired(System.currentTimeMillis())) {
            expired.incrementAndGet();
            return;
        }
        published.incrementAndGet();
        long seq = sequence.getAndIncrement();
        for (TopicSubscription s : subscriptions) {
            s.offer(message, seq);
        }
    }

    @Override
    public Subscription subscribe(Subscriber subscriber, int prefetch, boolean noLocal, String connectionId,
                                  MessageFilter filter) {
        TopicSubscription s = new TopicSubscription(this, subscriber, prefetch, noLocal ? connectionId : null,
                filter, expired::incrementAndGet);
        subscriptions.add(s);
        return s;
    }

    void remove(TopicSubscription subscription) {
        subscriptions.remove(subscription);
    }

    @Override
    public DestinationStats stats() {
        int pending = 0;
        int inFlight = 0;
        long consumed = 0;
        for (TopicSubscription s : subscriptions) {
            pending += s.pendingCount();
            inFlight += s.inFlightCount();
            consumed += s.consumedCount();
        }
        return new DestinationStats(name, false, pending, inFlight, timer.held(), subscriptions.size(),
                published.get(), consumed, expired.get());
    }
}
