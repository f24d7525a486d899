package io.tern.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's connection while it applies one group of writes in one database transaction. Statements are prepared
 * once per connection and kept. Consecutive rows for the same statement go to the database as one JDBC batch; a
 * different statement first sends the pending batch, so the writes are applied in the order they were made.
 *
 * <p>What a transaction changes in the store's estimates (bytes and rows held) is counted here and applied only
 * after the commit.
 */
final class WriteTransaction implements AutoCloseable {
    /** Sets a prepared statement's parameters for one row. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private PreparedStatement pending;
    private boolean pendingRemoves;
    private long addedBytes;
    private long addedRows;
    private long removedRowCount;

    WriteTransaction(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
    }

    Connection connection() {
        return connection;
    }

    /** Adds one row to the JDBC batch of {@code sql}. */
    void batch(String sql, Binder binder) throws SQLException {
        batch(sql, binder, false);
    }

    /** Adds one delete of a message to the batch of {@code sql}; what it deletes is counted as removed rows. */
    void batchRemove(String sql, Binder binder) throws SQLException {
        batch(sql, binder, true);
    }

    private void batch(String sql, Binder binder, boolean removes) throws SQLException {
        PreparedStatement s = statement(sql);
        if (pending != s) {
            flush();
            pending = s;
            pendingRemoves = removes;
        }
        binder.bind(s);
        s.addBatch();
    }

    /** Sends the pending batch, if any. */
    void flush() throws SQLException {
        if (pending == null) {
            return;
        }
        int[] counts = pending.executeBatch();
        pending = null;
        if (pendingRemoves) {
            // count what each delete took (one row when the driver does not say)
            for (int count : counts) {
                removedRowCount += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
            }
        }
    }

    /** Sends the pending batch, then runs {@code sql} at once; returns its update count. */
    int execute(String sql, Binder binder) throws SQLException {
        flush();
        PreparedStatement s = statement(sql);
        binder.bind(s);
        return s.executeUpdate();
    }

    /** A prepared statement for a query, after sending the pending batch. */
    PreparedStatement query(String sql) throws SQLException {
        flush();
        return statement(sql);
    }

    /** Counts message rows added by this transaction. */
    void added(long rows, long bytes) {
        addedRows += rows;
        addedBytes += bytes;
    }

    /** Counts message rows removed by this transaction outside a batch. */
    void removed(long rows) {
        removedRowCount += rows;
    }

    long addedBytes() {
        return addedBytes;
    }

    long addedRows() {
        return addedRows;
    }

    long removedRows() {
        return removedRowCount;
    }

    /** Sends what is pending and commits. */
    void commit() throws SQLException {
        flush();
        connection.commit();
        reset();
    }

    /** Rolls back; what was counted is forgotten. */
    void rollback() {
        try {
            if (pending != null) {
                pending.clearBatch();
            }
            connection.rollback();
        } catch (SQLException e) {
            // The connection is broken; the writer checks it and replaces it.
        }
        pending = null;
        reset();
    }

    private void reset() {
        addedBytes = 0;
        addedRows = 0;
        removedRowCount = 0;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    /** Closes the statements and gives the connection back. */
    @Override
    public void close() {
        for (PreparedStatement s : statements.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
