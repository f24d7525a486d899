package io.tern.broker.dispatch;

import io.tern.broker.destination.BrokerMessage;
import java.util.Comparator;

/**
 * One message's place in one {@link DispatchQueue}: the message, its sequence number (arrival order, and its id
 * in the store when it is persistent) and the delivery count the next DELIVER will carry. A returned entry keeps
 * its sequence, so it goes back to its original position. The delivery count changes only under the owning
 * queue's lock or while the entry is out for delivery (owned by one session).
 */
public final class QueueEntry {
    /** Higher priority first, then lower sequence first. */
    public static final Comparator<QueueEntry> DISPATCH_ORDER = Comparator
            .comparingInt((QueueEntry e) -> -e.message.header().priority())
            .thenComparingLong(e -> e.sequence);

    private final BrokerMessage message;
    private final long sequence;
    private int deliveryCount;

    public QueueEntry(BrokerMessage message, long sequence) {
        this(message, sequence, 1);
    }

    public QueueEntry(BrokerMessage message, long sequence, int deliveryCount) {
        this.message = message;
        this.sequence = sequence;
        this.deliveryCount = deliveryCount;
    }

    public BrokerMessage message() {
        return message;
    }

    public long sequence() {
        return sequence;
    }

    /** The count the next DELIVER of this entry carries: 1 the first time. */
    public int deliveryCount() {
        return deliveryCount;
    }

    void countDelivery() {
        deliveryCount++;
    }

    @Override
    public String toString() {
        return "QueueEntry[seq=" + sequence + ", priority=" + message.header().priority() + ", count="
                + deliveryCount + "]";
    }
}
