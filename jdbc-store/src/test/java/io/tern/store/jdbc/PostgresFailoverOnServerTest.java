package io.tern.store.jdbc;

import io.tern.broker.store.SharedStoreFailoverContractTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two broker JVMs on one PostgreSQL database ({@code TERN_TEST_DATABASES=postgresql}): the lease decides which is
 * active. The killed broker's lease (3 s here) runs out and the standby takes it at its next try.
 */
class PostgresFailoverOnServerTest extends SharedStoreFailoverContractTest {
    private static final int LEASE_MS = 3000;

    @BeforeEach
    void emptyTables() {
        ServerDatabase.POSTGRESQL.assumeEnabled();
        ServerDatabase.POSTGRESQL.dropTables(JdbcOptions.DEFAULT_TABLE_PREFIX);
    }

    @Override
    protected List<String> storeSettings() {
        return List.of("-Dtern.store=jdbc", "-Dtern.jdbc.url=jdbc:postgresql://127.0.0.1:5432/test",
                "-Dtern.jdbc.user=postgres", "-Dtern.jdbc.pool-size=4", "-Dtern.jdbc.lease-ms=" + LEASE_MS,
                "-Dtern.jdbc.lease-renew-ms=750");
    }

    @Override
    protected Duration takeOverWithin() {
        // the lease, then the standby's start (connection pool, recovery) on a loaded machine
        return Duration.ofMillis(LEASE_MS + 15_000);
    }
}
