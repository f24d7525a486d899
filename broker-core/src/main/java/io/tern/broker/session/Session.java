package io.tern.broker.session;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.destination.Destination;
import io.tern.broker.destination.Queue;
import io.tern.broker.destination.Subscription;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.SessionMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * A client session: its consumers, every delivery it holds until settled, and its transaction when transacted.
 * Requests run on the owning connection's executor, one at a time; only {@link #track} is called from dispatching
 * threads, which is why deliveries live in a concurrent map.
 */
public final class Session {
    private final int id;
    private final SessionMode mode;
    private final String connectionId;
    private final Outbound outbound;
    private final Store store;
    private final ConcurrentSkipListMap<Long, Delivery> deliveries = new ConcurrentSkipListMap<>();
    private final Map<Long, Consumer> consumers = new LinkedHashMap<>();
    private final Transaction transaction;
    /** The XA branch this session works for now (between XA_START and XA_END), or null. */
    private volatile Branch branch;

    public Session(int id, SessionMode mode, String connectionId, Outbound outbound, Store store) {
        this.id = id;
        this.mode = mode;
        this.connectionId = connectionId;
        this.outbound = outbound;
        this.store = store;
        this.transaction = mode == SessionMode.TRANSACTED ? new Transaction() : null;
    }

    public int id() {
        return id;
    }

    public boolean isTransacted() {
        return transaction != null;
    }

    Branch branch() {
        return branch;
    }

    /** Called under the {@link Branches} lock. */
    void associate(Branch branch) {
        this.branch = branch;
    }

    /** True while the session works for an XA branch. */
    public boolean inBranch() {
        return branch != null;
    }

    void track(Delivery delivery) {
        deliveries.put(delivery.deliveryId(), delivery);
    }

    /** Opens a consumer on {@code destination} with {@code prefetch} initial credit and its selector's filter. */
    public Consumer openConsumer(long consumerId, Destination destination, int prefetch, boolean noLocal,
                                 MessageFilter filter) {
        return openConsumer(consumerId, c -> destination.subscribe(c, prefetch, noLocal, connectionId, filter));
    }

    /** How a consumer joins what it reads from; may refuse. */
    @FunctionalInterface
    public interface Attach<E extends Exception> {
        Subscription attach(Subscriber subscriber) throws E;
    }

    /** Opens a consumer that {@code attach} joins to a subscription; nothing is opened when it throws. */
    public <E extends Exception> Consumer openConsumer(long consumerId, Attach<E> attach) throws E {
        Consumer consumer = new Consumer(consumerId, this, outbound);
        consumer.attach(attach.attach(consumer));
        consumers.put(consumerId, consumer);
        return consumer;
    }

    /**
     * Opens a browser of {@code queue}: sends copies of the waiting messages {@code filter} matches, then BROWSE_END.
     * It consumes nothing; close it like a consumer.
     */
    public Consumer openBrowser(long consumerId, Queue queue, int prefetch, MessageFilter filter) {
        QueueBrowse browse = new QueueBrowse(consumerId, queue.browse(filter), prefetch, outbound);
        Consumer consumer = openConsumer(consumerId, c -> browse);
        browse.send();
        return consumer;
    }

    /**
     * Stops the consumer. Its {@code delivered} deliveries (those the application saw) stay with the session until
     * settled; every other delivery it holds, prefetched or still in flight, goes back uncounted.
     */
    public void closeConsumer(Consumer consumer, long[] delivered) {
        consumer.stop();
        consumers.remove(consumer.id());
        Set<Long> seen = idSet(delivered);
        for (Delivery d : deliveries.values()) {
            if (d.consumerId() == consumer.id() && !seen.contains(d.deliveryId())
                    && deliveries.remove(d.deliveryId(), d)) {
                d.giveBack(false);
            }
        }
    }

    private static Set<Long> idSet(long[] ids) {
        Set<Long> set = new HashSet<>(ids.length * 2);
        for (long id : ids) {
            set.add(id);
        }
        return set;
    }

    /** Routes a message now, or holds it in the transaction. Completes when it is durable or accepted. */
    public CompletableFuture<Void> send(Destination destination, BrokerMessage message) {
        Branch b = branch;
        if (b != null) {
            synchronized (b.lock) {
                // the branch may have ended meanwhile (rolled back with the connection that started it)
                if (branch == b && b.timedOut()) {
                    return CompletableFuture.failedFuture(timedOut(b, "send to " + destination.name()));
                }
                if (branch == b) {
                    b.work.send(destination.prepare(message), message.header().destination() + " "
                            + Transaction.messageId(message.header().messageId(), -1));
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
        if (transaction != null) {
            transaction.send(destination.prepare(message));
            return CompletableFuture.completedFuture(null);
        }
        return destination.audit().send(message.header().messageId(), message.originConnectionId(),
                () -> destination.send(message));
    }

    /** Settles deliveries; ids the session does not hold are ignored. Completes when removals are durable. */
    public CompletableFuture<Void> ack(AckKind kind, long[] deliveryIds) {
        return ack(kind, deliveryIds, true);
    }

    /**
     * Settles deliveries; ids the session does not hold are ignored.
     *
     * @param durable true: completes when the removals are durable (a client waits for the answer); false: when
     *                they are recorded in order, durable with the store's next forced write (nobody waits: a lost
     *                one means a redelivery, flagged by the delivered mark)
     */
    public CompletableFuture<Void> ack(AckKind kind, long[] deliveryIds, boolean durable) {
        if (kind == AckKind.RETURN_ALL) {
            returnAll(deliveryIds);
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        List<Delivery> back = new ArrayList<>();
        Branch dead = null;
        for (long deliveryId : deliveryIds) {
            Delivery d = deliveries.remove(deliveryId);
            if (d == null) {
                continue;
            }
            switch (kind) {
                case CONSUMED -> {
                    Branch b = joinedBranch(d);
                    if (b != null && b.timedOut()) {
                        // consumed in a branch that is rolled back already: it comes back
                        d.giveBack(true);
                        dead = b;
                    } else if (b != null) {
                        // the XA branch holds it until it completes
                    } else if (transaction != null) {
                        transaction.consumed(d);
                    } else {
                        removals.add(d.source().consumed(d.entry(), durable));
                    }
                }
                case RELEASED, REDELIVER -> back.add(d);
                case RETURN_ALL -> throw new IllegalStateException("RETURN_ALL is handled above");
            }
        }
        Delivery.giveBackInOrder(back, d -> kind == AckKind.REDELIVER);
        if (dead != null) {
            return CompletableFuture.failedFuture(timedOut(dead, "acknowledgement"));
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    /**
     * Moves a consumed delivery into the session's XA branch and returns the branch; null when the session works for
     * none. A branch that timed out takes nothing (and is returned, so that the caller gives the delivery back).
     */
    private Branch joinedBranch(Delivery d) {
        Branch b = branch;
        if (b == null) {
            return null;
        }
        synchronized (b.lock) {
            if (branch != b) {
                return null;
            }
            if (!b.timedOut()) {
                b.work.consumed(d);
            }
            return b;
        }
    }

    private BranchTimedOutException timedOut(Branch b, String what) {
        return new BranchTimedOutException("session " + id + ": " + what + " refused: XA branch " + b.xid
                + " was rolled back when its timeout of " + b.timeoutSeconds + " s passed (XA_END answers"
                + " XA_RBTIMEOUT)");
    }

    /**
     * A send of this session was refused. In a local transaction its commit then rolls the transaction back: the
     * client sends the commit behind its sends without waiting for their answers.
     */
    public void sendRefused(String reason) {
        if (transaction != null && branch == null) {
            transaction.refused(reason);
        }
    }

    /** Why a send of the open local transaction was refused (the first), or null: its commit must roll back. */
    public String refusedSend() {
        return transaction == null ? null : transaction.refusedSend();
    }

    /** Commits the transaction; see {@link Transaction#commit}. */
    public CompletableFuture<Void> commit() {
        return transaction.commit(store);
    }

    public void rollback() {
        transaction.rollback();
    }

    /**
     * Closes the session: stops its consumers, rolls back its transaction, returns its {@code delivered} deliveries
     * (those the application saw) as redelivered and every other one, never seen, uncounted.
     */
    public void close(long[] delivered) {
        Set<Long> seen = idSet(delivered);
        end(d -> seen.contains(d.deliveryId()));
    }

    /** The connection is gone: whatever the session held may have been seen, so all of it comes back counted. */
    public void closeLost() {
        end(d -> true);
    }

    /**
     * Session.recover and rollback: the consumers get nothing more until the client grants them credit again, then
     * every unsettled delivery goes back, oldest first, those in {@code seen} counted. The client drops whatever of
     * them it still holds or receives before the answer, so the messages come again in their original order.
     */
    private void returnAll(long[] seen) {
        consumers.values().forEach(Consumer::pause);
        Set<Long> counted = idSet(seen);
        giveBackAll(d -> counted.contains(d.deliveryId()));
    }

    private void end(Predicate<Delivery> counted) {
        consumers.values().forEach(Consumer::stop);
        consumers.clear();
        if (transaction != null) {
            transaction.rollback();
        }
        giveBackAll(counted);
    }

    /** Gives back every delivery the session holds, oldest first. */
    private void giveBackAll(Predicate<Delivery> counted) {
        List<Delivery> back = new ArrayList<>();
        while (!deliveries.isEmpty()) {
            Map.Entry<Long, Delivery> e = deliveries.pollFirstEntry();
            if (e != null) {
                back.add(e.getValue());
            }
        }
        Delivery.giveBackInOrder(back, counted);
    }

    /** The consumers of this session, for the connection's bookkeeping. */
    public List<Consumer> consumers() {
        return List.copyOf(consumers.values());
    }
}
