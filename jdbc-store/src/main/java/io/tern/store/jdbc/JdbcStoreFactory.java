package io.tern.store.jdbc;

import io.tern.broker.BrokerConfig;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreFactory;
import io.tern.broker.store.StoreLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code store=jdbc}: a {@link JdbcStore} on the database {@code jdbc.url} names (default: an H2 database in
 * {@code DATA_DIR/jdbc}), connecting as {@code jdbc.user} with {@code jdbc.password}, with at most
 * {@code jdbc.pool-size} connections ({@link JdbcOptions#from}). Registered with {@link java.util.ServiceLoader}.
 */
public final class JdbcStoreFactory implements StoreFactory {
    /** The directory under the broker's data-dir that holds the default H2 database. */
    public static final String DIRECTORY = "jdbc";

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Store open(BrokerConfig config) {
        return JdbcStore.open(options(config));
    }

    /**
     * The lease ({@code jdbc.lease-ms}, {@code jdbc.lease-renew-ms}) that makes one of the brokers on the database
     * the active one; see {@link LeaseLock}.
     */
    @Override
    public StoreLock lock(BrokerConfig config) {
        return new LeaseLock(options(config), LeaseOptions.from(config.storeOptions()), config.name());
    }

    /** The store, whose writes check {@code lock} when it is this factory's lease. */
    @Override
    public Store open(BrokerConfig config, StoreLock lock) {
        if (lock instanceof LeaseLock lease) {
            return JdbcStore.open(options(config), lease.fence());
        }
        return open(config);
    }

    private static JdbcOptions options(BrokerConfig config) {
        JdbcOptions options = JdbcOptions.from(config.storeOptions(), directory(config));
        if (!config.storeOptions().containsKey(JdbcOptions.URL_KEY)) {
            try {
                Files.createDirectories(directory(config));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + directory(config), e);
            }
        }
        return options;
    }

    /** Where a broker configured with {@code config} keeps its default H2 database. */
    public static Path directory(BrokerConfig config) {
        return config.dataDir().resolve(DIRECTORY);
    }
}
