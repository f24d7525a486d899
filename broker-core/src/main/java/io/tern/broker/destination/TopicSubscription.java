package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.StoreBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer's non-durable subscription to a topic: its own queue of the messages published since it opened
 * that its selector matches (a message that does not match never enters the subscription). When it closes, its pending messages are dropped and deliveries given back later are discarded.
 */
final class TopicSubscription implements Subscription, DeliverySource {
    private final Topic topic;
    private final DispatchQueue dispatch;
    private final DispatchQueue.Attachment attachment;
    private final String skipOrigin;
    private final MessageFilter filter;
    private final AtomicLong consumed = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param skipOrigin a connection id whose messages this subscription skips (NO_LOCAL), or null
     * @param filter     the consumer's selector, applied as each message is published
     */
    TopicSubscription(Topic topic, Subscriber subscriber, int prefetch, String skipOrigin, MessageFilter filter,
                      Runnable onExpired) {
        this.topic = topic;
        this.skipOrigin = skipOrigin;
        this.filter = filter;
        this.dispatch = new DispatchQueue(this, e -> onExpired.run());
        this.attachment = dispatch.attach(subscriber, prefetch);
    }

    void offer(BrokerMessage message, long sequence) {
        if (closed || (skipOrigin != null && skipOrigin.equals(message.originConnectionId()))
                || !filter.matches(message, 1)) {
            return;
        }
        dispatch.enqueue(new QueueEntry(message, sequence));
    }

    @Override
    public void addCredit(int credit) {
        dispatch.addCredit(attachment, credit);
    }

    @Override
    public void resume() {
        dispatch.dispatch();
    }

    @Override
    public void close() {
        closed = true;
        topic.remove(this);
        dispatch.detach(attachment);
        dispatch.drain();
    }

    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
        if (closed) {
            dispatch.settled();
        } else {
            dispatch.giveBack(entry, counted);
        }
    }

    @Override
    public CompletableFuture<Void> consumed(QueueEntry entry) {
        consumedByCommit(entry);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public StoreBatch.Remove storeRemoval(QueueEntry entry) {
        return null;
    }

    @Override
    public void consumedByCommit(QueueEntry entry) {
        dispatch.settled();
        consumed.incrementAndGet();
    }

    @Override
    public String describe() {
        return "topic://" + topic.name();
    }

    int pendingCount() {
        return dispatch.pendingCount();
    }

    int inFlightCount() {
        return dispatch.inFlightCount();
    }

    long consumedCount() {
        return consumed.get();
    }
}
