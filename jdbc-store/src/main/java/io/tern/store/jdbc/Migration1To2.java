package io.tern.store.jdbc;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Schema version 1 to 2: adds the lease table that lets several brokers share one database, one active at a time
 * ({@link Lease}). Nothing else changes, so a version 1 database keeps its messages. Runs in the transaction that
 * checks the version, after the tables are created.
 */
final class Migration1To2 {
    private Migration1To2() {
    }

    static void apply(Statement s, Schema schema) throws SQLException {
        // the lease table exists by now (created if missing, as every table); only the version moves
        s.executeUpdate("UPDATE " + schema.version + " SET schema_version = 2 WHERE schema_version = 1");
    }
}
