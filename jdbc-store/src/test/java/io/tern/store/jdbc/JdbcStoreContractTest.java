package io.tern.store.jdbc;

import io.tern.broker.store.Store;
import io.tern.broker.store.StoreContractTest;
import java.nio.file.Path;

/** The store contract, unchanged, on the JDBC store with an embedded H2 database in the test's directory. */
class JdbcStoreContractTest extends StoreContractTest {
    @Override
    protected Store open(Path dir) {
        return JdbcStore.open(JdbcOptions.h2(dir));
    }
}
