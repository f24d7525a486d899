package io.tern.broker.store;

import java.util.List;

/**
 * Adds and removes that a store must apply all together or not at all: the work of one committed transaction.
 *
 * @param adds    messages to add, each to its queue
 * @param removes messages to remove, each from its queue
 */
public record StoreBatch(List<Add> adds, List<Remove> removes) {
    public StoreBatch {
        adds = List.copyOf(adds);
        removes = List.copyOf(removes);
    }

    public boolean isEmpty() {
        return adds.isEmpty() && removes.isEmpty();
    }

    /** Add {@code message} to {@code queue}. */
    public record Add(String queue, StoredMessage message) {
    }

    /** Remove message {@code id} from {@code queue}. */
    public record Remove(String queue, long id) {
    }
}
