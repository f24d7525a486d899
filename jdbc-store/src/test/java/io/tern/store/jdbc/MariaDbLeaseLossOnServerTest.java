package io.tern.store.jdbc;

import org.junit.jupiter.api.BeforeEach;

/** {@link LeaseLossContract} on MariaDB ({@code TERN_TEST_DATABASES=mariadb}). */
class MariaDbLeaseLossOnServerTest extends LeaseLossContract {
    @BeforeEach
    void emptyTables() {
        ServerDatabase.MARIADB.assumeEnabled();
        ServerDatabase.MARIADB.dropTables(JdbcOptions.DEFAULT_TABLE_PREFIX);
    }

    @Override
    int databasePort() {
        return 3306;
    }

    @Override
    String url(int port) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/test";
    }

    @Override
    String user() {
        return "root";
    }
}
