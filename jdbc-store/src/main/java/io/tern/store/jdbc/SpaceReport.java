package io.tern.store.jdbc;

import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.StoredSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * What takes a JDBC store's space, for operators: a line for the database, one per container in the messages table
 * (messages, bytes, id range), one per subscription, per delivered mark and per prepared branch.
 */
final class SpaceReport {
    /** Runs a query and passes each row on. */
    @FunctionalInterface
    interface Query {
        void run(String sql, WriteTransaction.Binder binder, JdbcStore.RowReader reader);
    }

    private final JdbcOptions options;
    private final Schema schema;
    private final Sql sql;
    private final Query query;

    SpaceReport(JdbcOptions options, Schema schema, Sql sql, Query query) {
        this.options = options;
        this.schema = schema;
        this.sql = sql;
        this.query = query;
    }

    List<String> lines(long usedBytes, List<StoredSubscription> subscriptions, List<PreparedBatch> prepared) {
        List<String> lines = new ArrayList<>();
        lines.add("database " + options.safeUrl() + " (" + options.dialect() + "), schema version "
                + Schema.VERSION + ", about " + usedBytes + " bytes of messages held");
        query.run(sql.spaceByContainer, s -> { }, rs -> lines.add(schema.messages + ": " + rs.getString(1) + " holds "
                + rs.getLong(2) + " messages, " + rs.getLong(3) + " bytes, ids " + rs.getLong(4) + ".."
                + rs.getLong(5)));
        for (StoredSubscription s : subscriptions) {
            lines.add(schema.subscriptions + ": " + s.container() + " is subscription '" + s.name() + "' of client "
                    + s.clientId() + " on topic " + s.topic() + (s.shared() ? " (shared)" : ""));
        }
        query.run("SELECT container, id FROM " + schema.marks + " ORDER BY container", s -> { },
                rs -> lines.add(schema.marks + ": " + rs.getString(1) + " delivered up to id " + rs.getLong(2)));
        for (PreparedBatch p : prepared) {
            long bytes = p.batch().adds().stream().mapToLong(a -> a.message().envelope().length).sum();
            lines.add(schema.prepared + ": branch " + JdbcStore.hex(p.xid()) + " keeps " + p.batch().adds().size()
                    + " adds (" + bytes + " bytes) and " + p.batch().removes().size() + " removes");
        }
        return lines;
    }
}
