package io.tern.broker.dispatch;

import io.tern.broker.destination.BrokerMessage;
import io.tern.jms.wire.MalformedFrameException;
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
    private String group;
    private boolean groupRead;

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

    /**
     * The message's JMSXGroupID, or null when it has none (or its properties cannot be read). Read once, under the
     * owning queue's lock; a message without properties costs nothing.
     */
    String group() {
        if (!groupRead) {
            groupRead = true;
            try {
                Object g = message.envelope().properties().get(GROUP_ID);
                group = g instanceof String s && !s.isEmpty() ? s : null;
            } catch (MalformedFrameException e) {
                group = null;
            }
        }
        return group;
    }

    /** True when this message closes its group (JMSXGroupSeq of -1, as in ActiveMQ). */
    boolean closesGroup() {
        try {
            return Integer.valueOf(-1).equals(message.envelope().properties().get(GROUP_SEQ));
        } catch (MalformedFrameException e) {
            return false;
        }
    }

    static final String GROUP_ID = "JMSXGroupID";
    static final String GROUP_SEQ = "JMSXGroupSeq";

    @Override
    public String toString() {
        return "QueueEntry[seq=" + sequence + ", priority=" + message.header().priority() + ", count="
                + deliveryCount + "]";
    }
}
