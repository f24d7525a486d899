package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContractTest {
    @Override
    protected Store open(Path dir) {
        return new MemoryStore();
    }

    /** A memory store keeps its content only while it is open, so a "restart" keeps the same instance. */
    @Override
    protected Store restart(Store store, Path dir) {
        return store;
    }

    @Test
    void usedBytesFallsWhenMessagesGoAwayByRemoveBatchOrUnsubscribe() {
        MemoryStore memory = new MemoryStore();
        memory.add("q", new StoredMessage(1, new byte[100])).join();
        memory.add("$subscription:s", new StoredMessage(1, new byte[50])).join();
        memory.addSubscription(subscription("c", "s", "$subscription:s")).join();
        assertThat(memory.usedBytes()).isEqualTo(150);
        memory.remove("q", 1).join();
        assertThat(memory.usedBytes()).isEqualTo(50);
        memory.removeSubscription("$subscription:s").join();
        assertThat(memory.usedBytes()).isZero();
    }
}
