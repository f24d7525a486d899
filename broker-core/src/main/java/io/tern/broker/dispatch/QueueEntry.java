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
    /** While its add is being made durable (routed concurrently with the store's write): completes when it is. */
    private volatile java.util.concurrent.CompletableFuture<Void> storing;
    private volatile boolean keepStored;

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

    /**
     * Completes (never exceptionally) once the store's add of this entry is settled, durable or failed: at once for
     * an entry that was stored before it was routed, or never stored. A consumption of an entry routed while its add
     * was in flight is written only after it, so that a producer whose answer was lost with the broker finds its
     * message still stored when it sends it again (the duplicate audit drops the copy; the message comes back
     * flagged redelivered) rather than consumed and forgotten.
     */
    public java.util.concurrent.CompletableFuture<Void> stored() {
        java.util.concurrent.CompletableFuture<Void> s = storing;
        return s != null ? s : java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * Its sender's answer could not be written: its consumption must leave it in the store (see {@link #stored()}).
     * Set before {@link #stored()} completes.
     */
    public void keepStored() {
        keepStored = true;
    }

    /** True when a consumption must leave it in the store: its sender may send it again. */
    public boolean keptStored() {
        return keepStored;
    }

    /**
     * The entry is routed before its add is durable; {@code settled} completes (never exceptionally) when the add
     * is durable or failed. Null: it is settled (the future is forgotten).
     */
    public void storing(java.util.concurrent.CompletableFuture<Void> settled) {
        this.storing = settled;
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
