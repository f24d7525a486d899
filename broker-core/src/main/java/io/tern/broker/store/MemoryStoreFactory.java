package io.tern.broker.store;

import io.tern.broker.BrokerConfig;

/** {@code store=memory}: a {@link MemoryStore}; it ignores the data directory and every store option. */
public final class MemoryStoreFactory implements StoreFactory {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Store open(BrokerConfig config) {
        return new MemoryStore();
    }
}
