package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The schema is created once and versioned; a newer one is refused naming both versions. */
@Timeout(30)
class JdbcSchemaTest {
    @TempDir
    Path dir;

    @Test
    void aNewerSchemaStopsTheStoreNamingBothVersions() throws Exception {
        JdbcOptions options = JdbcOptions.h2(dir);
        JdbcStore.open(options).close();
        try (Connection c = DriverManager.getConnection(options.url()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE tern_version SET schema_version = 99");
        }
        assertThatThrownBy(() -> JdbcStore.open(options)).isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("version 99").hasMessageContaining("up to " + Schema.VERSION)
                .hasMessageContaining(options.url());
    }

    @Test
    void aVersionOneDatabaseIsMigratedKeepingItsMessages() throws Exception {
        JdbcOptions options = JdbcOptions.h2(dir);
        try (JdbcStore store = JdbcStore.open(options)) {
            store.add("q", new io.tern.broker.store.StoredMessage(1, new byte[] {1, 2, 3})).get();
        }
        try (Connection c = DriverManager.getConnection(options.url()); Statement s = c.createStatement()) {
            // what a version 1 broker left: no lease table
            s.execute("DROP TABLE tern_lease");
            s.executeUpdate("UPDATE tern_version SET schema_version = 1");
        }
        LeaseLock lock = new LeaseLock(options, new LeaseOptions(3000, 1000), "migrated");
        try (lock) {
            assertThat(lock.tryAcquire()).isTrue();
            try (JdbcStore store = JdbcStore.open(options, lock.fence())) {
                assertThat(store.count("q")).isEqualTo(1);
                store.add("q", new io.tern.broker.store.StoredMessage(2, new byte[] {4})).get();
            }
        }
        try (Connection c = DriverManager.getConnection(options.url()); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT schema_version FROM tern_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void leaseTimingsAreCheckedNamingTheKeys() {
        assertThatThrownBy(() -> LeaseOptions.from(java.util.Map.of("jdbc.lease-ms", "3000",
                "jdbc.lease-renew-ms", "1500"))).hasMessageContaining("jdbc.lease-renew-ms 1500")
                .hasMessageContaining("jdbc.lease-ms 3000");
        assertThat(LeaseOptions.from(java.util.Map.of())).isEqualTo(LeaseOptions.DEFAULT);
        assertThat(LeaseOptions.from(java.util.Map.of("jdbc.lease-ms", "3000")).renewMillis()).isEqualTo(1000);
    }

    @Test
    void openingAgainKeepsOneVersionRow() throws Exception {
        JdbcOptions options = JdbcOptions.h2(dir);
        JdbcStore.open(options).close();
        JdbcStore.open(options).close();
        try (Connection c = DriverManager.getConnection(options.url()); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*), MAX(schema_version) FROM tern_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(Schema.VERSION);
        }
    }

    @Test
    void theDialectComesFromTheUrl() {
        assertThat(Dialect.forUrl("jdbc:h2:mem:x")).isEqualTo(Dialect.H2);
        assertThat(Dialect.forUrl("jdbc:postgresql://h/db")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.forUrl("jdbc:mariadb://h/db")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.forUrl("jdbc:mysql://h/db")).isEqualTo(Dialect.MARIADB);
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:oracle:thin:@h:1521/x"))
                .hasMessageContaining("jdbc:oracle:thin").hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void anUnreachableDatabaseIsNamedInTheError() {
        JdbcOptions options = new JdbcOptions("jdbc:postgresql://127.0.0.1:1/none", "nobody", null, 2, "tern_");
        assertThatThrownBy(() -> JdbcStore.open(options)).isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/none");
    }
}
