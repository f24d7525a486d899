package io.tern.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The statements on the lease row ({@link Schema#lease}, one row, id 1), which says which broker may write to the
 * database: {@code holder} names it, {@code expires_at} (ms, by the database's clock) says until when, and
 * {@code epoch} grows by one at each take-over, so a write transaction can check in the database that the lease it
 * holds is still the one in force (fencing). Every time is the database's: brokers' clocks may disagree.
 *
 * <p>Each method runs one statement in auto-commit, except {@link #fence}, which runs inside the writer's
 * transaction and locks the row until that transaction ends: a take-over waits for it, so no write of the old
 * holder commits after the new one took the lease.
 */
final class Lease {
    /** The lease row as read: who holds it and how long it still runs (negative: it ran out). */
    record Row(String holder, long epoch, long remainingMillis) {
    }

    private final String insertRow;
    private final String acquire;
    private final String readEpoch;
    private final String renew;
    private final String release;
    private final String read;
    private final String fence;

    Lease(Schema schema, Dialect dialect) {
        String t = schema.lease;
        String now = dialect.nowMillis();
        insertRow = "INSERT INTO " + t + " (id, holder, epoch, expires_at) VALUES (1, '', 0, 0)";
        acquire = "UPDATE " + t + " SET holder = ?, epoch = epoch + 1, expires_at = " + now + " + ? WHERE id = 1"
                + " AND expires_at < " + now;
        readEpoch = "SELECT epoch FROM " + t + " WHERE id = 1 AND holder = ?";
        renew = "UPDATE " + t + " SET expires_at = " + now + " + ? WHERE id = 1 AND holder = ? AND epoch = ?"
                + " AND expires_at >= " + now;
        release = "UPDATE " + t + " SET expires_at = 0 WHERE id = 1 AND holder = ? AND epoch = ?";
        read = "SELECT holder, epoch, expires_at - " + now + " FROM " + t + " WHERE id = 1";
        fence = "SELECT epoch FROM " + t + " WHERE id = 1 AND holder = ? AND epoch = ? FOR UPDATE";
    }

    /** Inserts the row unless it is there (two brokers starting together may both try: one insert wins). */
    void ensureRow(Connection c) throws SQLException {
        if (read(c).isPresent()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(insertRow)) {
            s.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            // another broker inserted it first
        }
    }

    /**
     * Takes the lease for {@code holder} for {@code millis} if it ran out (or was released).
     *
     * @return the new epoch, or empty when another broker holds the lease
     */
    Optional<Long> acquire(Connection c, String holder, long millis) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(acquire)) {
            s.setString(1, holder);
            s.setLong(2, millis);
            if (s.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement s = c.prepareStatement(readEpoch)) {
            s.setString(1, holder);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Extends the lease {@code holder} holds at {@code epoch} by {@code millis} from now; false when it is not held. */
    boolean renew(Connection c, String holder, long epoch, long millis) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(renew)) {
            s.setLong(1, millis);
            s.setString(2, holder);
            s.setLong(3, epoch);
            return s.executeUpdate() == 1;
        }
    }

    /** Ends the lease at once, so a standby takes it at its next try. */
    void release(Connection c, String holder, long epoch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(release)) {
            s.setString(1, holder);
            s.setLong(2, epoch);
            s.executeUpdate();
        }
    }

    /** The row, or empty before it is inserted. */
    Optional<Row> read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(read); ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3)))
                    : Optional.empty();
        }
    }

    /** The statement {@link #fence} runs; parameters holder and epoch. */
    String fenceSql() {
        return fence;
    }
}
