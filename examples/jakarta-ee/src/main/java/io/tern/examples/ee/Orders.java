package io.tern.examples.ee;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The orders database (an XA datasource bound to {@code java:comp/env/jdbc/orders} in WEB-INF/jboss-web.xml): one
 * row per stored order, written in the caller's transaction.
 */
@Singleton
@Startup
@Lock(LockType.READ)
public class Orders {
    @Resource(name = "jdbc/orders")
    private DataSource database;

    /** A stored order and the delivery of its message that stored it. */
    public record Row(String id, String item, int quantity, int delivery) {
    }

    @PostConstruct
    void createTable() {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) NOT NULL, item VARCHAR(200) NOT NULL,"
                    + " quantity INT NOT NULL, delivery INT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("creating the orders table failed: " + e, e);
        }
    }

    /** Inserts {@code order} (no key: a row a rollback failed to remove would show as a second row). */
    public void store(Order order, int delivery) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO orders (id, item, quantity, delivery) VALUES (?, ?, ?, ?)")) {
            s.setString(1, order.id());
            s.setString(2, order.item());
            s.setInt(3, order.quantity());
            s.setInt(4, delivery);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("storing order " + order.id() + " failed: " + e, e);
        }
    }

    /** The rows stored for order {@code id}. */
    public List<Row> find(String id) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT id, item, quantity, delivery FROM orders WHERE id = ? ORDER BY delivery")) {
            s.setString(1, id);
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading order " + id + " failed: " + e, e);
        }
    }
}
