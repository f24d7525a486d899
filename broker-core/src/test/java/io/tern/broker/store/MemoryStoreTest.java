package io.tern.broker.store;

import java.nio.file.Path;

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
}
