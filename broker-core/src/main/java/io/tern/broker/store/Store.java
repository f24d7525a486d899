package io.tern.broker.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the broker keeps persistent messages and durable subscriptions. Only persistent messages sent to queues or
 * routed to durable subscriptions reach a store; everything else stays in memory.
 *
 * <p>Messages live in containers: a queue is one, named by the queue's name; a durable subscription is one, named
 * by its {@link StoredSubscription#container()}. The message methods below take a container's name where they say
 * "queue".
 *
 * <p>Every write returns a future that completes when the write is durable under the store's sync policy, or
 * completes exceptionally when it failed. The broker answers a producer only after that. Writes may complete on
 * any thread; callers must not block the completing thread.
 *
 * <p>Recovery: after a restart the broker calls {@link #subscriptions()}, {@link #queueNames()} and {@link #recover}
 * and rebuilds its queues and durable subscriptions from the store alone.
 *
 * <p>Implementations are thread-safe. The contract every implementation passes is {@code StoreContractTest}
 * (published in broker-core's test jar). Prepared XA branches are kept
 * with {@link #prepare} and completed with {@link #commitPrepared} or {@link #rollbackPrepared}.
 */
public interface Store extends AutoCloseable {

    /** A short name for logs and the launcher's ready line, e.g. {@code memory}. */
    String kind();

    /**
     * True when a Netty event loop may call this store: its writes ({@link #add}, {@link #commit}, {@link #remove},
     * {@link #markDelivered} and the other methods returning a future) never wait for I/O or for another thread
     * before they return (they take only locks held for in-memory work, queue the write and return its future; a
     * journal's writer thread does the I/O), and neither do the reads a send makes: {@link #deliveredMark} (a send
     * that creates its queue) and {@link #usedBytes} (under a store limit). The broker then handles a send on the
     * event loop that read it when its connection has nothing else to run, one thread hand-off fewer per synchronous
     * send; otherwise every request waits for a worker thread, and so does anything a written answer sets off. False
     * by default; JDBC leaves it so, since those reads query the database.
     */
    default boolean submitsWithoutBlocking() {
        return false;
    }

    /** Adds one message to a queue. Adding an id the queue already holds fails the future. */
    CompletableFuture<Void> add(String queue, StoredMessage message);

    /**
     * Adds one message, and runs {@code written} as soon as the message may be handed to a consumer: once any change
     * submitted after this call is ordered after the add, and the add is where the broker process's own death
     * (kill -9) does not lose it; possibly before the returned future completes (when it is durable). Never runs when
     * the add fails before that point. The broker routes a persistent message from {@code written} (concurrent
     * store and dispatch). By default it runs when the add completes.
     */
    default CompletableFuture<Void> add(String queue, StoredMessage message, Runnable written) {
        return add(queue, message).whenComplete((v, e) -> {
            if (e == null) {
                written.run();
            }
        });
    }

    /** Removes one message (it was acknowledged). Removing an id the queue does not hold is not an error. */
    CompletableFuture<Void> remove(String queue, long id);

    /**
     * Removes one message a client acknowledged without waiting for an answer (AUTO_ACKNOWLEDGE, DUPS_OK): the
     * remove is ordered after every change submitted before it, like {@link #remove}, but need not be durable when
     * the future completes. A crash before it is may bring the message back; the broker's delivered mark flags it as
     * redelivered then. By default the same as {@link #remove}.
     */
    default CompletableFuture<Void> removeAcknowledged(String queue, long id) {
        return remove(queue, id);
    }

    /** Applies every add and remove of {@code batch} atomically: after a crash, either all are durable or none. */
    CompletableFuture<Void> commit(StoreBatch batch);

    /** Reads one message by its id; empty when the queue does not hold it. May block on I/O. */
    Optional<StoredMessage> read(String queue, long id);

    /** The containers (queues and durable subscriptions' containers) that hold at least one message. */
    Set<String> queueNames();

    /** Passes every message of {@code queue} to {@code visitor} in increasing id order. May block on I/O. */
    default void recover(String queue, Consumer<StoredMessage> visitor) {
        long after = Long.MIN_VALUE;
        long[] last = {after};
        while (recover(queue, last[0], RECOVER_PAGE, m -> {
            last[0] = m.id();
            visitor.accept(m);
        }) == RECOVER_PAGE) {
            // next page
        }
    }

    /** The page size {@link #recover(String, Consumer)} reads with. */
    int RECOVER_PAGE = 1000;

    /**
     * Passes at most {@code max} messages of {@code queue} whose id is greater than {@code afterId} to
     * {@code visitor}, in increasing id order: one page of a backlog the broker does not hold in memory. Messages
     * added or removed while a page is read may or may not be seen. May block on I/O.
     *
     * @return how many messages were passed; fewer than {@code max} means there were no more
     */
    int recover(String queue, long afterId, int max, Consumer<StoredMessage> visitor);

    /**
     * The highest id {@code queue} holds, counting adds of prepared branches, or {@link Long#MIN_VALUE} when it
     * holds none: after a restart the broker numbers new messages above it.
     */
    long maxId(String queue);

    /** How many messages {@code queue} holds (adds of prepared, uncommitted transactions not counted). Cheap. */
    long count(String queue);

    /**
     * The space the store takes, in bytes, as its usage limit counts it (files on disk for a file store, message
     * bytes held for the memory store). Cheap: the broker asks before every persistent send while a limit is set.
     */
    long usedBytes();

    /**
     * Records a durable subscription. Recording a container that is recorded already replaces that record (its
     * messages stay).
     */
    CompletableFuture<Void> addSubscription(StoredSubscription subscription);

    /**
     * Forgets the subscription recorded with {@code container} and removes every message in that container, all
     * at once: after a crash, either the subscription and its messages are all there or none is. An unknown
     * container is not an error.
     */
    CompletableFuture<Void> removeSubscription(String container);

    /** The recorded durable subscriptions, in the order they were recorded. */
    List<StoredSubscription> subscriptions();

    /**
     * Records that messages of {@code queue} with ids up to {@code upToId} may have been delivered to a consumer.
     * The broker writes it before it delivers such a message, so that after a crash it can flag every message that
     * may have been seen already as redelivered (JMSRedelivered, JMSXDeliveryCount). The last mark written wins
     * (the broker lowers it to the exact value at a clean stop); removing a subscription's container forgets its
     * mark.
     */
    CompletableFuture<Void> markDelivered(String queue, long upToId);

    /** The last mark {@link #markDelivered} recorded for {@code queue}, or {@link Long#MIN_VALUE} when none. */
    long deliveredMark(String queue);

    /**
     * Writes the adds and removes of an XA transaction branch durably without applying them (two-phase commit,
     * phase one). Until {@link #commitPrepared} the adds are invisible (not read, recovered or counted) and the
     * removed messages stay where they are (the broker keeps them locked). Prepared branches survive restarts and
     * crashes and are listed by {@link #prepared()}.
     *
     * <p>Fails when {@code xid} is prepared already, or when an add's id is held by its queue or by another
     * prepared branch's add to it; nothing is written then.
     *
     * @param xid the branch's identity, opaque to the store, 1 to {@link #MAX_XID_LENGTH} bytes
     */
    CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch);

    /** The longest transaction branch identity a store accepts: an XA Xid's format id, lengths and both parts. */
    int MAX_XID_LENGTH = 140;

    /**
     * Applies a prepared branch's adds and removes atomically and forgets the branch (phase two, commit). A remove
     * of a message that is gone by then is ignored. Fails with {@link IllegalArgumentException} when {@code xid} is
     * not prepared.
     */
    CompletableFuture<Void> commitPrepared(byte[] xid);

    /**
     * Forgets a prepared branch without applying anything (phase two, rollback). Fails with
     * {@link IllegalArgumentException} when {@code xid} is not prepared.
     */
    CompletableFuture<Void> rollbackPrepared(byte[] xid);

    /** The prepared branches not yet committed or rolled back, in the order they were prepared. */
    List<PreparedBatch> prepared();

    /**
     * What takes the store's space, for operators: one line per unit of storage (a data file, a table) saying what
     * keeps it (which destinations and messages, which subscriptions, which prepared branches). Safe to call while
     * the store is in use; may take time proportional to what the store holds.
     */
    List<String> describeSpace();

    /** Releases files and connections. Operations after close fail. */
    @Override
    void close();
}
