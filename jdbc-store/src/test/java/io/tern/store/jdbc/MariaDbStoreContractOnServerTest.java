package io.tern.store.jdbc;

import io.tern.broker.store.Store;
import io.tern.broker.store.StoreContractTest;
import java.nio.file.Path;

/** The store contract, unchanged, on MariaDB (127.0.0.1:3306/test, user root); see {@link ServerDatabase}. */
class MariaDbStoreContractOnServerTest extends StoreContractTest {
    private final ServerDatabase.Opener opener = new ServerDatabase.Opener(ServerDatabase.MARIADB, "tern_myct_");

    @Override
    protected Store open(Path dir) {
        return opener.open(dir);
    }
}
