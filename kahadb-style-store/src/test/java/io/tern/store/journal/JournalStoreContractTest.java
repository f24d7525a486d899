package io.tern.store.journal;

import io.tern.broker.store.Store;
import io.tern.broker.store.StoreContractTest;
import java.nio.file.Path;

/** The store contract, unchanged, on the journal store (small files, so rollover happens too). */
class JournalStoreContractTest extends StoreContractTest {
    @Override
    protected Store open(Path dir) {
        return JournalStore.open(dir, JournalOptions.defaults().withMaxFileSize(JournalOptions.MIN_FILE_SIZE));
    }
}
