package io.tern.broker.testing;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.store.StoreBatch;
import java.util.concurrent.CompletableFuture;

/** A {@link DeliverySource} that settles nothing: for tests of dispatch alone (extend it to record more). */
public class NoSource implements DeliverySource {
    @Override
    public void giveBack(QueueEntry entry, boolean counted) {
    }

    @Override
    public CompletableFuture<Void> consumed(QueueEntry entry, boolean durable) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public StoreBatch.Remove storeRemoval(QueueEntry entry) {
        return null;
    }

    @Override
    public void consumedByCommit(QueueEntry entry) {
    }

    @Override
    public String describe() {
        return "test";
    }
}
