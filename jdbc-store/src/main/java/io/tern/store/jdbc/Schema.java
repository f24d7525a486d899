package io.tern.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The JDBC store's tables, created on first start and versioned by one row in {@code PREFIXversion}.
 *
 * <pre>
 * version          (schema_version)                                        one row
 * messages         (container, id, envelope_size, envelope)                PK (container, id)
 * subscriptions    (container, seq, client_id, name, topic, selector, no_local, is_shared)   PK container
 * marks            (container, id)                                         PK container
 * prepared         (xid, seq)                                              PK xid
 * prepared_adds    (container, id, xid, pos, envelope_size, envelope)      PK (container, id)
 * prepared_removes (xid, pos, container, id)                               PK (xid, pos)
 * lease            (id, holder, epoch, expires_at)                         PK id, one row (id 1)   since version 2
 * </pre>
 * A prepared add's key is its message's key, so an id claimed by one branch cannot be claimed by another. The lease
 * row says which broker is active ({@link Lease}); {@code expires_at} is in ms since 1970 by the database's clock.
 * A schema newer than {@link #VERSION} stops the store with a message naming both versions; an older one is
 * migrated ({@link Migration1To2}).
 */
final class Schema {
    /** The schema version this code writes and reads. */
    static final int VERSION = 2;

    final String version;
    final String messages;
    final String subscriptions;
    final String marks;
    final String prepared;
    final String preparedAdds;
    final String preparedRemoves;
    final String lease;

    /** The lease table's columns (version 2). */
    static final String LEASE_COLUMNS = "id INT NOT NULL, holder VARCHAR(400) NOT NULL, epoch BIGINT NOT NULL, "
            + "expires_at BIGINT NOT NULL, PRIMARY KEY (id)";

    private final Dialect dialect;

    Schema(Dialect dialect, String prefix) {
        this.dialect = dialect;
        version = prefix + "version";
        messages = prefix + "messages";
        subscriptions = prefix + "subscriptions";
        marks = prefix + "marks";
        prepared = prefix + "prepared";
        preparedAdds = prefix + "prepared_adds";
        preparedRemoves = prefix + "prepared_removes";
        lease = prefix + "lease";
    }

    /** Every table, in the order they are created (dropped in reverse). */
    List<String> tables() {
        return List.of(version, messages, subscriptions, marks, prepared, preparedAdds, preparedRemoves, lease);
    }

    /**
     * Creates the tables that are missing and checks the version.
     *
     * @throws JdbcStoreException when the database holds a newer schema than this code knows
     */
    void createOrCheck(Connection c, String where) throws SQLException {
        String name = dialect.nameType();
        String bin = dialect.binaryType();
        String xid = dialect.xidType();
        try (Statement s = c.createStatement()) {
            s.execute(dialect.createTable(version, "schema_version INT NOT NULL"));
            s.execute(dialect.createTable(messages, "container " + name + " NOT NULL, id BIGINT NOT NULL, "
                    + "envelope_size INT NOT NULL, envelope " + bin + " NOT NULL, PRIMARY KEY (container, id)"));
            s.execute(dialect.createTable(subscriptions, "container " + name + " NOT NULL, seq BIGINT NOT NULL, "
                    + "client_id " + name + ", name " + name + " NOT NULL, topic " + name + " NOT NULL, "
                    + "selector VARCHAR(4000), no_local SMALLINT NOT NULL, is_shared SMALLINT NOT NULL, "
                    + "PRIMARY KEY (container)"));
            s.execute(dialect.createTable(marks, "container " + name + " NOT NULL, id BIGINT NOT NULL, "
                    + "PRIMARY KEY (container)"));
            s.execute(dialect.createTable(prepared, "xid " + xid + " NOT NULL, seq BIGINT NOT NULL, "
                    + "PRIMARY KEY (xid)"));
            s.execute(dialect.createTable(preparedAdds, "container " + name + " NOT NULL, id BIGINT NOT NULL, "
                    + "xid " + xid + " NOT NULL, pos INT NOT NULL, envelope_size INT NOT NULL, envelope " + bin
                    + " NOT NULL, PRIMARY KEY (container, id)"));
            s.execute(dialect.createTable(preparedRemoves, "xid " + xid + " NOT NULL, pos INT NOT NULL, "
                    + "container " + name + " NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (xid, pos)"));
            s.execute(dialect.createTable(lease, LEASE_COLUMNS));
            Integer found = null;
            try (ResultSet rs = s.executeQuery("SELECT MAX(schema_version) FROM " + version)) {
                if (rs.next()) {
                    int v = rs.getInt(1);
                    found = rs.wasNull() ? null : v;
                }
            }
            if (found == null) {
                s.executeUpdate("INSERT INTO " + version + " (schema_version) VALUES (" + VERSION + ")");
            } else if (found == 1) {
                Migration1To2.apply(s, this);
            } else if (found > VERSION) {
                throw new JdbcStoreException("the database " + where + " holds JDBC store schema version " + found
                        + " but this broker knows versions up to " + VERSION + "; run a broker at least as new as"
                        + " the one that wrote it");
            }
        }
        c.commit();
    }

    /** Drops every table of this prefix (for tests that start from nothing). */
    void drop(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            List<String> all = tables();
            for (int i = all.size() - 1; i >= 0; i--) {
                s.execute("DROP TABLE IF EXISTS " + all.get(i));
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
