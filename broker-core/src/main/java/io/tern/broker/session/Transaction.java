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
    private List<Delivery> consumed = new ArrayList<>();

    void send(PreparedSend send) {
        sends.add(send);
    }

    void consumed(Delivery delivery) {
        consumed.add(delivery);
    }

    /**
     * Writes the sends and removals as one store batch; when it is durable, routes the sends and settles the
     * consumed deliveries. If the store fails, the consumed deliveries return as redelivered and the future fails.
     * The transaction is empty again when this returns.
     */
    CompletableFuture<Void> commit(Store store) {
        List<PreparedSend> toRoute = sends;
        List<Delivery> toSettle = consumed;
        sends = new ArrayList<>();
        consumed = new ArrayList<>();
        StoreBatch batch = new StoreBatch(
                toRoute.stream().flatMap(s -> s.storeAdds().stream()).toList(),
                toSettle.stream().map(d -> d.source().storeRemoval(d.entry())).filter(Objects::nonNull).toList());
        CompletableFuture<Void> stored = batch.isEmpty() ? CompletableFuture.completedFuture(null) : store.commit(batch);
        return stored.handle((v, error) -> {
            if (error != null) {
                toRoute.forEach(s -> s.abandon().run());
                toSettle.forEach(d -> d.giveBack(true));
                throw new CompletionException(error);
            }
            toRoute.forEach(s -> s.route().run());
            toSettle.forEach(d -> d.source().consumedByCommit(d.entry()));
            return null;
        });
    }

    /** Discards the sends and returns the consumed deliveries as redelivered. */
    void rollback() {
        sends.forEach(s -> s.abandon().run());
        sends.clear();
        List<Delivery> toReturn = consumed;
        consumed = new ArrayList<>();
        toReturn.forEach(d -> d.giveBack(true));
    }
}
