package io.tern.broker.session;

import io.tern.broker.destination.PreparedSend;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The open transaction of a transacted session: the sends it holds back and the deliveries it consumed.
 * Confined to its connection's executor.
 */
final class Transaction {
    private List<PreparedSend> sends = new ArrayList<>();
    /** What each send is, for operators: {@code queue://orders ID:...}, in step with {@link #sends}. */
    private List<String> sent = new ArrayList<>();
    private List<Delivery> consumed = new ArrayList<>();
    /** Why the broker refused one of its sends (the first such), or null: its commit must then roll it back. */
    private String refusedSend;

    void send(PreparedSend send) {
        send(send, "(a message)");
    }

    /** Holds {@code send}; {@code what} names it (destination and JMSMessageID) for operators. */
    void send(PreparedSend send, String what) {
        sends.add(send);
        sent.add(what);
    }

    /** A send of this transaction was refused; {@code reason} says why (the first reason is kept). */
    void refused(String reason) {
        if (refusedSend == null) {
            refusedSend = reason;
        }
    }

    /** Why a send of this transaction was refused, or null when none was. */
    String refusedSend() {
        return refusedSend;
    }

    void consumed(Delivery delivery) {
        consumed.add(delivery);
    }

    /** For logs: how many sends and consumed messages it holds. */
    String describe() {
        return sends.size() + " sends, " + consumed.size() + " consumed";
    }

    /**
     * For operators: the messages it holds, as {@code sends=N [dest id, ...] consumed=M [source id, ...]}.
     */
    String describeMessages() {
        List<String> taken = consumed.stream().map(d -> d.source().describe() + " "
                + messageId(d.entry().message().header().messageId(), d.entry().sequence())).toList();
        return "sends=" + sent.size() + " " + sent + " consumed=" + taken.size() + " " + taken;
    }

    /** The JMSMessageID, or the broker's sequence number when the producer disabled message ids. */
    static String messageId(String jmsMessageId, long sequence) {
        return jmsMessageId != null ? jmsMessageId : sequence >= 0 ? "#" + sequence : "(no JMSMessageID)";
    }

    boolean isEmpty() {
        return sends.isEmpty() && consumed.isEmpty();
    }

    /** The store adds of the held sends and the store removals of the consumed deliveries. */
    StoreBatch batch() {
        return new StoreBatch(
                sends.stream().flatMap(s -> s.storeAdds().stream()).toList(),
                consumed.stream().map(d -> d.source().storeRemoval(d.entry())).filter(Objects::nonNull).toList());
    }

    /** Phase one: writes the batch as prepared under {@code xid}; the sends and deliveries stay held. */
    CompletableFuture<Void> prepare(Store store, byte[] xid) {
        return afterConsumedStored(consumed, () -> store.prepare(xid, batch()));
    }

    /**
     * Runs {@code write} once every consumed entry's add is durable (see {@link io.tern.broker.dispatch.QueueEntry#stored}):
     * at once unless one was routed while its add was in flight.
     */
    private static CompletableFuture<Void> afterConsumedStored(List<Delivery> deliveries,
                                                               java.util.function.Supplier<CompletableFuture<Void>> write) {
        List<CompletableFuture<Void>> pending = null;
        for (Delivery d : deliveries) {
            CompletableFuture<Void> stored = d.entry().stored();
            if (!stored.isDone()) {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(stored);
            }
        }
        return pending == null ? write.get()
                : CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenCompose(v -> write.get());
    }

    /** Phase two: the store applies the prepared batch, then the sends are routed and the deliveries settled. */
    CompletableFuture<Void> commitPrepared(Store store, byte[] xid) {
        return store.commitPrepared(xid).thenRun(this::settle);
    }

    /** Phase two, rollback: the store forgets the prepared batch, then the transaction rolls back. */
    CompletableFuture<Void> rollbackPrepared(Store store, byte[] xid) {
        return store.rollbackPrepared(xid).thenRun(this::rollback);
    }

    private void settle() {
        sends.forEach(s -> s.route().run());
        consumed.forEach(d -> d.source().consumedByCommit(d.entry()));
        sends = new ArrayList<>();
        sent = new ArrayList<>();
        consumed = new ArrayList<>();
    }

    /**
     * Writes the sends and removals as one store batch; when it is durable, routes the sends and settles the
     * consumed deliveries. If the store fails, the consumed deliveries return as redelivered and the future fails.
     * The transaction is empty again when this returns.
     */
    CompletableFuture<Void> commit(Store store) {
        List<PreparedSend> toRoute = sends;
        List<Delivery> toSettle = consumed;
        refusedSend = null;
        sends = new ArrayList<>();
        sent = new ArrayList<>();
        consumed = new ArrayList<>();
        // the removals are taken once the consumed entries' adds are settled (one may have to stay stored)
        CompletableFuture<Void> stored = afterConsumedStored(toSettle, () -> {
            StoreBatch batch = new StoreBatch(
                    toRoute.stream().flatMap(s -> s.storeAdds().stream()).toList(),
                    toSettle.stream().map(d -> d.source().storeRemoval(d.entry())).filter(Objects::nonNull).toList());
            return batch.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(batch);
        });
        return stored.handle((v, error) -> {
            if (error != null) {
                toRoute.forEach(s -> s.abandon().run());
                Delivery.giveBackInOrder(toSettle, d -> true);
                throw new CompletionException(error);
            }
            toRoute.forEach(s -> s.route().run());
            toSettle.forEach(d -> d.source().consumedByCommit(d.entry()));
            return null;
        });
    }

    /** Discards the sends and returns the consumed deliveries as redelivered. */
    void rollback() {
        refusedSend = null;
        sends.forEach(s -> s.abandon().run());
        sends.clear();
        sent.clear();
        List<Delivery> toReturn = consumed;
        consumed = new ArrayList<>();
        Delivery.giveBackInOrder(toReturn, d -> true);
    }
}
