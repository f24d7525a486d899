package io.tern.broker.testing;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer for tests of dispatch alone: always ready, it records what it is given. It is also a delivery source
 * that settles nothing ({@link NoSource}), for tests that need one object in both roles.
 */
public final class RecordingSubscriber extends NoSource implements Subscriber {
    /** What was delivered, in order. */
    public final List<QueueEntry> delivered = new ArrayList<>();

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void deliver(QueueEntry entry, DeliverySource source) {
        delivered.add(entry);
    }

    /** The sequences delivered, in order. */
    public List<Long> ids() {
        return delivered.stream().map(QueueEntry::sequence).toList();
    }

    /** The text bodies delivered, in order (the entries were made with {@link Messages}). */
    public List<String> texts() {
        return delivered.stream().map(e -> Messages.textOf(e.message().bytes())).toList();
    }
}
