package io.tern.broker.session;

import io.tern.broker.destination.Subscription;
import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.jms.wire.Frame;

/** A client's message consumer: receives deliveries from one destination for one session. */
public final class Consumer implements Subscriber {
    private final long id;
    private final Session session;
    private final Outbound outbound;
    private volatile Subscription subscription;

    Consumer(long id, Session session, Outbound outbound) {
        this.id = id;
        this.session = session;
        this.outbound = outbound;
    }

    public long id() {
        return id;
    }

    public Session session() {
        return session;
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    /** The client granted {@code credit} more messages. */
    public void addCredit(int credit) {
        subscription.addCredit(credit);
    }

    /** Sends nothing more until the client grants credit again (see {@link Subscription#pause}). */
    void pause() {
        subscription.pause();
    }

    /** Dispatches again, e.g. after the connection became writable. */
    public void resume() {
        subscription.resume();
    }

    /** Stops dispatching; when this returns no delivery to this consumer is in progress or will start. */
    void stop() {
        subscription.close();
    }

    @Override
    public boolean isReady() {
        return outbound.isWritable();
    }

    @Override
    public void deliver(QueueEntry entry, DeliverySource source) {
        outbound.deliver(deliveryId -> {
            session.track(new Delivery(deliveryId, id, entry, source));
            return new Frame.Deliver(id, deliveryId, entry.deliveryCount(), entry.message().bytes());
        }, !source.fansOut());
    }
}
