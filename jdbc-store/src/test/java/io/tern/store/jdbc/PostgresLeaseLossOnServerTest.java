package io.tern.store.jdbc;

import org.junit.jupiter.api.BeforeEach;

/** {@link LeaseLossContract} on PostgreSQL ({@code TERN_TEST_DATABASES=postgresql}). */
class PostgresLeaseLossOnServerTest extends LeaseLossContract {
    @BeforeEach
    void emptyTables() {
        ServerDatabase.POSTGRESQL.assumeEnabled();
        ServerDatabase.POSTGRESQL.dropTables(JdbcOptions.DEFAULT_TABLE_PREFIX);
    }

    @Override
    int databasePort() {
        return 5432;
    }

    @Override
    String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/test";
    }

    @Override
    String user() {
        return "postgres";
    }
}
