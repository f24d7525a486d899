package io.tern.broker.store;

import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens a kind of {@link Store} by name. A store module registers its factory with {@link ServiceLoader}
 * ({@code META-INF/services/io.tern.broker.store.StoreFactory}); the broker picks the one its configuration's
 * {@code store} key names and never imports a store module.
 */
public interface StoreFactory {

    /** The name the {@code store} key selects, e.g. {@code memory} or {@code journal}. */
    String name();

    /**
     * Opens the store for a broker configured with {@code config}: its files go under {@code config.dataDir()}, its
     * settings come from {@code config.storeOptions()}. The caller closes it.
     *
     * @throws RuntimeException saying why it cannot open (a bad option, a locked or unreadable directory)
     */
    Store open(BrokerConfig config);

    /**
     * The lock that decides which broker configured with {@code config} may open the store when several share it
     * (see {@link StoreLock}); not yet acquired. The default is {@link StoreLock#NONE}, for stores that cannot be
     * shared.
     */
    default StoreLock lock(BrokerConfig config) {
        return StoreLock.NONE;
    }

    /**
     * Opens the store once {@code lock} (from {@link #lock}) is held; a store whose writes must stop when the lock
     * is lost checks it (fencing). The default ignores the lock.
     */
    default Store open(BrokerConfig config, StoreLock lock) {
        return open(config);
    }

    /**
     * The factory called {@code name} on the class path.
     *
     * @throws BrokerException naming the store and the ones available
     */
    static StoreFactory named(String name) {
        TreeSet<String> available = new TreeSet<>();
        for (StoreFactory factory : ServiceLoader.load(StoreFactory.class, StoreFactory.class.getClassLoader())) {
            if (factory.name().equals(name)) {
                return factory;
            }
            available.add(factory.name());
        }
        throw new BrokerException("no store named '" + name + "' on the class path; available: "
                + String.join(", ", available) + " (the journal store is in the tern-store-journal jar)");
    }

    /**
     * Opens the store {@code config} names.
     *
     * @throws BrokerException naming the store, the data directory and the cause
     */
    static Store openConfigured(BrokerConfig config) {
        return openConfigured(config, StoreLock.NONE);
    }

    /**
     * Opens the store {@code config} names, once {@code lock} is held.
     *
     * @throws BrokerException naming the store, the data directory and the cause
     */
    static Store openConfigured(BrokerConfig config, StoreLock lock) {
        StoreFactory factory = named(config.store());
        try {
            return factory.open(config, lock);
        } catch (BrokerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BrokerException("cannot open the " + config.store() + " store (data-dir " + config.dataDir()
                    + "): " + e.getMessage(), e);
        }
    }
}
