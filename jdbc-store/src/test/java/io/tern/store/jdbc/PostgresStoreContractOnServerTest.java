package io.tern.store.jdbc;

import io.tern.broker.store.Store;
import io.tern.broker.store.StoreContractTest;
import java.nio.file.Path;

/** The store contract, unchanged, on PostgreSQL (127.0.0.1:5432/test, user postgres); see {@link ServerDatabase}. */
class PostgresStoreContractOnServerTest extends StoreContractTest {
    private final ServerDatabase.Opener opener = new ServerDatabase.Opener(ServerDatabase.POSTGRESQL, "tern_pgct_");

    @Override
    protected Store open(Path dir) {
        return opener.open(dir);
    }
}
