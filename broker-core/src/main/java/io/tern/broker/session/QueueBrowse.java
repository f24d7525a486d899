package io.tern.broker.session;

import io.tern.broker.destination.Subscription;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.jms.wire.Frame;
import java.util.Iterator;

/**
 * One browse of a queue: copies of a snapshot of its waiting messages, sent in dispatch order against the browser's
 * credit, then BROWSE_END. The messages stay in the queue and are never tracked as deliveries (a browser settles
 * nothing). Driven only by its connection's executor: at open, on credit and when the connection becomes writable.
 * When the queue pages, walking the snapshot reads the store a page at a time on that executor.
 */
final class QueueBrowse implements Subscription {
    private final long consumerId;
    private final Outbound outbound;
    private final Iterator<QueueEntry> remaining;
    private int credit;
    private boolean done;

    QueueBrowse(long consumerId, Iterator<QueueEntry> snapshot, int prefetch, Outbound outbound) {
        this.consumerId = consumerId;
        this.outbound = outbound;
        this.remaining = snapshot;
        this.credit = Math.max(0, prefetch);
    }

    /** Sends what credit allows, and BROWSE_END after the last message. */
    synchronized void send() {
        while (!done && credit > 0 && remaining.hasNext() && outbound.isWritable()) {
            QueueEntry e = remaining.next();
            credit--;
            outbound.deliver(id -> new Frame.Deliver(consumerId, id, e.deliveryCount(), e.message().bytes()));
        }
        if (!done && !remaining.hasNext()) {
            done = true;
            outbound.send(new Frame.BrowseEnd(consumerId));
        }
    }

    @Override
    public synchronized void addCredit(int more) {
        if (more > 0) {
            credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + more);
        }
        send();
    }

    /** A browse settles nothing and is no part of a recover or rollback: it goes on. */
    @Override
    public void pause() {
    }

    @Override
    public void resume() {
        send();
    }

    @Override
    public synchronized void close() {
        done = true;
    }
}
