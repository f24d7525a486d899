package io.tern.store.journal;

import io.tern.broker.BrokerConfig;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreFactory;
import io.tern.broker.store.StoreLock;
import java.nio.file.Path;

/**
 * {@code store=journal}: a {@link JournalStore} in {@code DATA_DIR/journal}, configured by the store options
 * {@code journal.file-size}, {@code journal.sync}, {@code journal.sync-interval-ms},
 * {@code journal.compact-below-percent} and {@code journal.checkpoint-interval-ms} ({@link JournalOptions#from}).
 * Registered with {@link java.util.ServiceLoader}.
 */
public final class JournalStoreFactory implements StoreFactory {
    /** The directory under the broker's data-dir that holds the journal. */
    public static final String DIRECTORY = "journal";

    @Override
    public String name() {
        return "journal";
    }

    @Override
    public Store open(BrokerConfig config) {
        return JournalStore.open(directory(config), JournalOptions.from(config.storeOptions()));
    }

    /** The journal directory's lock file: of the brokers sharing a directory, the one holding it is active. */
    @Override
    public StoreLock lock(BrokerConfig config) {
        return new JournalStoreLock(directory(config));
    }

    /** Opens the journal whose directory {@code lock} holds. */
    @Override
    public Store open(BrokerConfig config, StoreLock lock) {
        if (lock instanceof JournalStoreLock journalLock) {
            return JournalStore.open(directory(config), JournalOptions.from(config.storeOptions()),
                    journalLock.held());
        }
        return open(config);
    }

    /** Where a broker configured with {@code config} keeps its journal. */
    public static Path directory(BrokerConfig config) {
        return config.dataDir().resolve(DIRECTORY);
    }
}
