package io.tern.examples.narayana;

import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The application's database beside Tern in the tests: an H2 file database (table {@code orders}) reached through
 * H2's own XADataSource, the second resource manager of every global transaction here.
 */
final class OrdersDatabase {
    private final JdbcDataSource dataSource = new JdbcDataSource();

    OrdersDatabase(Path dir) throws SQLException {
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("orders").toAbsolutePath());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, text VARCHAR(256))");
        }
    }

    XAConnection xaConnection() throws SQLException {
        return dataSource.getXAConnection();
    }

    /** Inserts the order's row on {@code c} (a connection of an enlisted XAConnection: part of the branch). */
    static void insert(Connection c, String id, String text) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, text) VALUES (?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, text);
            ps.executeUpdate();
        }
    }

    /** The committed rows for {@code id}, read on a connection of its own. */
    int rows(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Recovery's way in: each scan gets the XAResource of a fresh XAConnection; the previous one is closed. */
    XAResourceRecoveryHelper recoveryHelper() {
        return new XAResourceRecoveryHelper() {
            private XAConnection current;

            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public synchronized XAResource[] getXAResources() throws SQLException {
                if (current != null) {
                    current.close();
                }
                current = dataSource.getXAConnection();
                return new XAResource[] {current.getXAResource()};
            }
        };
    }
}
