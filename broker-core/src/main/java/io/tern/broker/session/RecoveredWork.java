package io.tern.broker.session;

import io.tern.broker.destination.Destinations;
import io.tern.broker.destination.PreparedSend;
import io.tern.broker.destination.Queue;
import io.tern.broker.destination.Subscriptions;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.store.StoreBatch;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.WireXid;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of a prepared branch the store kept, rebuilt at start: its adds held by their queues and durable
 * subscriptions until it commits, the messages it removes locked there until it completes.
 */
final class RecoveredWork {
    private static final Logger LOG = LoggerFactory.getLogger(Branches.class);

    private RecoveredWork() {
    }

    /** The branch {@code xid}'s work from its stored {@code batch}; what the broker cannot hold is logged (B0706). */
    static Transaction rebuild(WireXid xid, StoreBatch batch, Destinations destinations) {
        Transaction work = new Transaction();
        for (StoreBatch.Add add : batch.adds()) {
            String label = Transaction.messageId(MessageEnvelope.parse(add.message().envelope()).header()
                    .messageId(), add.message().id());
            if (Subscriptions.isContainer(add.queue())) {
                Optional<PreparedSend> send = destinations.subscriptions().preparedAdd(add.queue(), add.message());
                if (send.isEmpty()) {
                    LOG.warn("TERN-B0706 prepared branch {} adds message {} to durable subscription container"
                            + " '{}', which no durable subscription has (deleted): it is stored when the branch"
                            + " commits but never delivered", xid, add.message().id(), add.queue());
                    continue;
                }
                work.send(send.get(), add.queue() + " " + label);
            } else {
                work.send(destinations.createQueue(add.queue()).preparedAdd(add.message()), "queue://"
                        + add.queue() + " " + label);
            }
        }
        for (StoreBatch.Remove remove : batch.removes()) {
            Delivery locked = lockPrepared(destinations, remove);
            if (locked == null) {
                LOG.warn("TERN-B0706 prepared branch {} removes message {} of '{}', which the broker does not hold"
                        + " (gone from the store, or its queue or durable subscription deleted): it is not"
                        + " locked", xid, remove.id(), remove.queue());
                continue;
            }
            work.consumed(locked);
        }
        return work;
    }

    /** Locks the message a recovered branch removes, in its queue or durable subscription; null when not held. */
    private static Delivery lockPrepared(Destinations destinations, StoreBatch.Remove remove) {
        if (Subscriptions.isContainer(remove.queue())) {
            return destinations.subscriptions().lockPrepared(remove.queue(), remove.id())
                    .map(l -> new Delivery(-1, -1, l.entry(), l.source())).orElse(null);
        }
        Optional<Queue> queue = destinations.queue(remove.queue());
        QueueEntry entry = queue.map(q -> q.lockPrepared(remove.id())).orElse(null);
        return entry == null ? null : new Delivery(-1, -1, entry, queue.get());
    }
}
