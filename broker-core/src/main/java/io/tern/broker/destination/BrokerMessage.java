package io.tern.broker.destination;

import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.MessageHeader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message inside the broker: the producer's envelope (its bytes are never changed) and the connection that
 * sent it, for NO_LOCAL. One instance is shared by every subscription it is routed to; apart from the envelope's
 * lazily read properties, its only state is whether those properties turned out to be unreadable.
 */
public final class BrokerMessage {
    private final MessageEnvelope envelope;
    private final String originConnectionId;
    private final String originClientId;
    private final AtomicBoolean propertiesUnreadable = new AtomicBoolean();
    /** Set when a sender waits for an answer: completes once the answer is written (true) or cannot be (false). */
    private volatile CompletableFuture<Boolean> answered;

    /**
     * @param envelope           the parsed envelope
     * @param originConnectionId the id of the connection that sent it, or null when it was recovered from a store
     */
    public BrokerMessage(MessageEnvelope envelope, String originConnectionId) {
        this(envelope, originConnectionId, null);
    }

    /**
     * @param originClientId the client id of the connection that sent it, or null when it had none (or the message
     *                       was recovered): a durable NO_LOCAL subscription skips messages of its own client id
     */
    public BrokerMessage(MessageEnvelope envelope, String originConnectionId, String originClientId) {
        this.envelope = envelope;
        this.originConnectionId = originConnectionId;
        this.originClientId = originClientId;
    }

    /**
     * The sender waits for an answer to this send; the connection calls {@link #answerWritten} once it has written
     * it, or could not. A queue routing the message before it is durable holds back a consumer's removal of it until
     * then, and keeps it stored when the answer could not be written, so that a sender left unanswered (its
     * connection or the broker died) never finds its message consumed and forgotten when it sends it again: the
     * duplicate audit recognises the copy, and the kept message comes back flagged redelivered after a restart.
     */
    public BrokerMessage awaitingAnswer() {
        answered = new CompletableFuture<>();
        return this;
    }

    /** Completes once the sender's answer is written (true) or cannot be (false); true at once when nobody waits. */
    public CompletableFuture<Boolean> answered() {
        CompletableFuture<Boolean> a = answered;
        return a != null ? a : CompletableFuture.completedFuture(true);
    }

    /** The answer to the sender is written ({@code written} true), or cannot be (its connection is gone). */
    public void answerWritten(boolean written) {
        CompletableFuture<Boolean> a = answered;
        if (a != null) {
            a.complete(written);
        }
    }

    public String originClientId() {
        return originClientId;
    }

    public MessageEnvelope envelope() {
        return envelope;
    }

    public String originConnectionId() {
        return originConnectionId;
    }

    public MessageHeader header() {
        return envelope.header();
    }

    public byte[] bytes() {
        return envelope.bytes();
    }

    public boolean persistent() {
        return envelope.header().persistent();
    }

    public boolean isExpired(long nowMillis) {
        return envelope.header().isExpired(nowMillis);
    }

    /** True once {@link #markPropertiesUnreadable} was called: selectors then skip the properties section. */
    public boolean propertiesUnreadable() {
        return propertiesUnreadable.get();
    }

    /** Records that the properties section is malformed; true for the first caller only (who logs it). */
    public boolean markPropertiesUnreadable() {
        return propertiesUnreadable.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "BrokerMessage[" + envelope.header().messageId() + " to " + envelope.header().destination() + "]";
    }
}
