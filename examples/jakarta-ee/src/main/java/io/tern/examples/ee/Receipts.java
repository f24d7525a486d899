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
 * What the shop's other listeners ({@link AuditListener}, {@link PriceListener}) received: one row per delivery
 * that committed, in the orders database and in the delivery's transaction, with the listener and the thread
 * (delivery session) that took it.
 */
@Singleton
@Startup
@Lock(LockType.READ)
public class Receipts {
    @Resource(name = "jdbc/orders")
    private DataSource database;

    @PostConstruct
    void createTable() {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS receipts (listener VARCHAR(40) NOT NULL,"
                    + " message VARCHAR(100) NOT NULL, thread VARCHAR(200) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("creating the receipts table failed: " + e, e);
        }
    }

    /** Records that {@code listener} received {@code message} (an application id, not the JMSMessageID). */
    public void store(String listener, String message) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO receipts (listener, message, thread) VALUES (?, ?, ?)")) {
            s.setString(1, listener);
            s.setString(2, message);
            s.setString(3, Thread.currentThread().getName());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(listener + ": storing the receipt of " + message + " failed: " + e, e);
        }
    }

    /** The receipts of {@code message}, each {@code listener thread}. */
    public List<String> find(String message) {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT listener, thread FROM receipts WHERE message = ? ORDER BY listener")) {
            s.setString(1, message);
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the receipts of " + message + " failed: " + e, e);
        }
    }
}
