package io.tern.broker.store;

import java.util.Objects;

/**
 * One persistent message as a store holds it.
 *
 * @param id       the message's place in its queue, chosen by the broker: unique within the queue and increasing
 *                 in arrival order. It is the key a store reads and removes the message by (its "location").
 * @param envelope the envelope bytes exactly as the producer sent them; never modified
 */
public record StoredMessage(long id, byte[] envelope) {
    public StoredMessage {
        Objects.requireNonNull(envelope, "envelope");
    }

    @Override
    public String toString() {
        return "StoredMessage[id=" + id + ", " + envelope.length + " bytes]";
    }
}
