package io.tern.store.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Everything that differs between the databases the JDBC store runs on, in one place: column types, the
 * create-table suffix, upsert and page syntax, and key-length limits. The store's SQL uses nothing else that differs.
 * A new database is supported by one more constant here and a test class running the store contract on it.
 */
public enum Dialect {
    /** H2 2.x, embedded: the zero-configuration database. */
    H2("h2", "BLOB", "VARBINARY(" + io.tern.broker.store.Store.MAX_XID_LENGTH + ")", "VARCHAR(1000)", 1000, "",
            "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)") {
        /**
         * H2 writes a commit to its file in the background, {@code WRITE_DELAY} (500 ms) later by default: a
         * killed broker would lose its last acknowledged sends. With 0, each commit is written to the file before
         * it returns (a database setting, kept in the file).
         */
        @Override
        List<String> durability() {
            return List.of("SET WRITE_DELAY 0");
        }

        @Override
        String upsert(String table, List<String> keys, List<String> values) {
            return "MERGE INTO " + table + " (" + columns(keys, values) + ") KEY (" + String.join(", ", keys)
                    + ") VALUES (" + marks(keys.size() + values.size()) + ")";
        }
    },
    /** PostgreSQL 12 and later. */
    POSTGRESQL("postgresql", "BYTEA", "BYTEA", "VARCHAR(1000)", 1000, "",
            "CAST(EXTRACT(EPOCH FROM CLOCK_TIMESTAMP()) * 1000 AS BIGINT)") {
        @Override
        String upsert(String table, List<String> keys, List<String> values) {
            return "INSERT INTO " + table + " (" + columns(keys, values) + ") VALUES ("
                    + marks(keys.size() + values.size()) + ") ON CONFLICT (" + String.join(", ", keys)
                    + ") DO UPDATE SET " + values.stream().map(v -> v + " = EXCLUDED." + v)
                    .collect(Collectors.joining(", "));
        }
    },
    /**
     * MariaDB 10.4 and later (and MySQL-compatible servers the MariaDB driver reaches). Names compare byte for
     * byte and without padding ({@code utf8mb4_nopad_bin}), like on the other databases; InnoDB keys are at most
     * 3072 bytes, so a name is at most 700 characters.
     */
    MARIADB("mariadb", "LONGBLOB", "VARBINARY(" + io.tern.broker.store.Store.MAX_XID_LENGTH + ")",
            "VARCHAR(700) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin", 700, " ENGINE=InnoDB",
            "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)") {
        @Override
        String upsert(String table, List<String> keys, List<String> values) {
            return "INSERT INTO " + table + " (" + columns(keys, values) + ") VALUES ("
                    + marks(keys.size() + values.size()) + ") ON DUPLICATE KEY UPDATE "
                    + values.stream().map(v -> v + " = VALUES(" + v + ")").collect(Collectors.joining(", "));
        }
    };

    private final String urlName;
    private final String binaryType;
    private final String xidType;
    private final String nameType;
    private final int maxNameLength;
    private final String tableSuffix;
    private final String nowMillis;

    Dialect(String urlName, String binaryType, String xidType, String nameType, int maxNameLength,
            String tableSuffix, String nowMillis) {
        this.urlName = urlName;
        this.binaryType = binaryType;
        this.xidType = xidType;
        this.nameType = nameType;
        this.maxNameLength = maxNameLength;
        this.tableSuffix = tableSuffix;
        this.nowMillis = nowMillis;
    }

    /**
     * The dialect of a JDBC URL ({@code jdbc:h2:…}, {@code jdbc:postgresql:…}, {@code jdbc:mariadb:…} or
     * {@code jdbc:mysql:…}).
     *
     * @throws IllegalArgumentException naming the URL's database and the supported ones
     */
    public static Dialect forUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (Dialect d : values()) {
            if (lower.startsWith("jdbc:" + d.urlName + ":")) {
                return d;
            }
        }
        if (lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("jdbc.url " + url + " names a database the JDBC store has no dialect for;"
                + " supported: jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: (and jdbc:mysql:)");
    }

    /** The column type for message envelopes: any length of bytes. */
    String binaryType() {
        return binaryType;
    }

    /** The column type for a transaction branch identity, up to {@code Store.MAX_XID_LENGTH} bytes, usable in keys. */
    String xidType() {
        return xidType;
    }

    /** The column type for container, topic and client names, usable in keys. */
    String nameType() {
        return nameType;
    }

    /** The longest container name (in characters) the name type holds. */
    int maxNameLength() {
        return maxNameLength;
    }

    /** {@code CREATE TABLE IF NOT EXISTS name (body)} with this database's table options. */
    String createTable(String name, String body) {
        return "CREATE TABLE IF NOT EXISTS " + name + " (" + body + ")" + tableSuffix;
    }

    /**
     * An insert-or-update of one row by its key: parameters are the {@code keys} then the {@code values}, in order.
     */
    abstract String upsert(String table, List<String> keys, List<String> values);

    /**
     * The database's clock now, in ms since 1970 (UTC), as a BIGINT expression: the lease's expiry is computed and
     * compared by the database, so the brokers' clocks never need to agree.
     */
    String nowMillis() {
        return nowMillis;
    }

    /**
     * Statements the store runs once at open so that a commit, once returned, survives the broker's process being
     * killed; none for the server databases, which do so by default.
     */
    List<String> durability() {
        return List.of();
    }

    /** {@code select} limited to a page: one more parameter, the page size. */
    String page(String select) {
        return select + " LIMIT ?";
    }

    private static String columns(List<String> keys, List<String> values) {
        return String.join(", ", keys) + (values.isEmpty() ? "" : ", " + String.join(", ", values));
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
