package io.tern.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/**
 * A database server the JDBC store's tests run on when {@code TERN_TEST_DATABASES} names it (a comma-separated
 * list, e.g. {@code postgresql,mariadb}; {@code .ci/run} sets it and the {@code databases} Maven profile then runs
 * the {@code *OnServerTest} classes). Each test class keeps its own tables (its own prefix), and each test starts
 * from empty tables: the first open in a new test directory drops them.
 */
final class ServerDatabase {
    static final String ENV = "TERN_TEST_DATABASES";

    static final ServerDatabase POSTGRESQL = new ServerDatabase("postgresql",
            "jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
    static final ServerDatabase MARIADB = new ServerDatabase("mariadb",
            "jdbc:mariadb://127.0.0.1:3306/test", "root", null);

    private final String name;
    private final String url;
    private final String user;
    private final String password;

    private ServerDatabase(String name, String url, String user, String password) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Skips the test unless {@code TERN_TEST_DATABASES} names this database. */
    void assumeEnabled() {
        String list = System.getenv(ENV);
        assumeTrue(list != null && Arrays.stream(list.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .anyMatch(name::equals), ENV + " does not name " + name);
    }

    JdbcOptions options(String tablePrefix) {
        return new JdbcOptions(url, user, password, 4, tablePrefix);
    }

    /** Drops the tables of {@code tablePrefix}. */
    void dropTables(String tablePrefix) {
        JdbcOptions options = options(tablePrefix);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            new Schema(options.dialect(), tablePrefix).drop(c);
        } catch (SQLException e) {
            throw new AssertionError("cannot drop the test tables on " + url + ": " + e.getMessage(), e);
        }
    }

    /** Opens stores on one table prefix, dropping its tables whenever a new test directory is seen. */
    static final class Opener {
        private final ServerDatabase database;
        private final String tablePrefix;
        private Path cleanedFor;

        Opener(ServerDatabase database, String tablePrefix) {
            this.database = database;
            this.tablePrefix = tablePrefix;
        }

        JdbcStore open(Path dir) {
            database.assumeEnabled();
            if (!dir.equals(cleanedFor)) {
                database.dropTables(tablePrefix);
                cleanedFor = dir;
            }
            return JdbcStore.open(database.options(tablePrefix));
        }
    }
}
