package io.tern.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} on a database reached by JDBC (H2, PostgreSQL or MariaDB; see {@link Dialect} and {@link Schema}).
 *
 * <p>Writes go through the {@link GroupCommitWriter}: concurrent writes share one database transaction and each
 * future completes after its COMMIT. Reads use the connection pool (HikariCP) directly and see what is committed.
 * {@link #usedBytes()} is an estimate kept in memory: the envelope bytes held at open, plus what is added, minus the
 * average message size for each message removed.
 */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final JdbcOptions options;
    private final Dialect dialect;
    private final Schema schema;
    private final Sql sql;
    private final HikariDataSource pool;
    private final GroupCommitWriter writer;
    private final AtomicLong subscriptionSeq = new AtomicLong();
    private final AtomicLong preparedSeq = new AtomicLong();
    private final Object estimate = new Object();
    private long heldRows;
    private long heldBytes;

    private JdbcStore(JdbcOptions options, HikariDataSource pool, GroupCommitWriter.Fence fence) throws SQLException {
        this.options = options;
        this.dialect = options.dialect();
        this.schema = new Schema(dialect, options.tablePrefix());
        this.sql = new Sql(schema, dialect);
        this.pool = pool;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            schema.createOrCheck(c, options.safeUrl());
            c.setAutoCommit(true);
            for (String setting : dialect.durability()) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(setting);
                } catch (SQLException e) {
                    LOG.warn("TERN-J0074 cannot run '{}' on {} ({}); a crash may lose the last committed writes",
                            setting, options.safeUrl(), e.getMessage());
                }
            }
        }
        subscriptionSeq.set(queryLong(sql.maxSubscriptionSeq, s -> { }, 0));
        preparedSeq.set(queryLong(sql.maxPreparedSeq, s -> { }, 0));
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql.sumSizes);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            heldRows = rs.getLong(1);
            heldBytes = rs.getLong(2);
        }
        this.writer = new GroupCommitWriter("tern-jdbc-writer", pool::getConnection, this::committed, fence);
    }

    /**
     * Opens the store: connects, creates the tables on first start and checks the schema version.
     *
     * @throws JdbcStoreException naming the database and why it cannot be used
     */
    public static JdbcStore open(JdbcOptions options) {
        return open(options, GroupCommitWriter.Fence.NONE);
    }

    /**
     * Opens the store for a broker that holds {@code fence}'s lease: every write transaction checks it first and
     * fails once the lease is lost.
     */
    static JdbcStore open(JdbcOptions options, GroupCommitWriter.Fence fence) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.url());
        config.setUsername(options.user());
        config.setPassword(options.password());
        config.setMaximumPoolSize(options.poolSize());
        config.setPoolName("tern-jdbc");
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new JdbcStoreException("cannot connect to " + options.safeUrl() + ": " + rootMessage(e), e);
        }
        try {
            JdbcStore store = new JdbcStore(options, pool, fence);
            LOG.info("JDBC store on {} ({}), schema version {}, {} messages held", options.safeUrl(),
                    store.dialect, Schema.VERSION, store.heldRows);
            return store;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            if (e instanceof JdbcStoreException j) {
                throw j;
            }
            throw new JdbcStoreException("cannot use " + options.safeUrl() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    @Override
    public String kind() {
        return "jdbc";
    }

    /** How many database transactions the writer has run: far fewer than writes when writes are concurrent. */
    public long transactions() {
        return writer.transactions();
    }

    /** How many writes the writer has handled. */
    public long writes() {
        return writer.writes();
    }

    // ---- writes

    @Override
    public CompletableFuture<Void> add(String queue, StoredMessage message) {
        return checkName(queue).orElseGet(() -> writer.submit(tx -> add(tx, queue, message)));
    }

    private void add(WriteTransaction tx, String queue, StoredMessage message) throws SQLException {
        byte[] envelope = message.envelope();
        tx.batch(sql.insertMessage, s -> {
            s.setString(1, queue);
            s.setLong(2, message.id());
            s.setInt(3, envelope.length);
            s.setBytes(4, envelope);
        });
        tx.added(1, envelope.length);
    }

    @Override
    public CompletableFuture<Void> remove(String queue, long id) {
        return writer.submit(tx -> remove(tx, queue, id));
    }

    private void remove(WriteTransaction tx, String queue, long id) throws SQLException {
        tx.batchRemove(sql.deleteMessage, s -> {
            s.setString(1, queue);
            s.setLong(2, id);
        });
    }

    @Override
    public CompletableFuture<Void> commit(StoreBatch batch) {
        for (StoreBatch.Add a : batch.adds()) {
            Optional<CompletableFuture<Void>> bad = checkName(a.queue());
            if (bad.isPresent()) {
                return bad.get();
            }
        }
        return writer.submit(tx -> {
            for (StoreBatch.Add a : batch.adds()) {
                add(tx, a.queue(), a.message());
            }
            for (StoreBatch.Remove r : batch.removes()) {
                remove(tx, r.queue(), r.id());
            }
        });
    }

    @Override
    public CompletableFuture<Void> addSubscription(StoredSubscription sub) {
        return checkName(sub.container()).orElseGet(() -> writer.submit(tx -> {
            WriteTransaction.Binder fields = s -> {
                s.setString(1, sub.clientId());
                s.setString(2, sub.name());
                s.setString(3, sub.topic());
                s.setString(4, sub.selector());
                s.setInt(5, sub.noLocal() ? 1 : 0);
                s.setInt(6, sub.shared() ? 1 : 0);
                s.setString(7, sub.container());
            };
            if (tx.execute(sql.updateSubscription, fields) == 0) {
                long seq = subscriptionSeq.incrementAndGet();
                tx.execute(sql.insertSubscription, s -> {
                    fields.bind(s);
                    s.setLong(8, seq);
                });
            }
        }));
    }

    @Override
    public CompletableFuture<Void> removeSubscription(String container) {
        return writer.submit(tx -> {
            tx.execute(sql.deleteSubscription, s -> s.setString(1, container));
            tx.removed(tx.execute(sql.deleteContainer, s -> s.setString(1, container)));
            tx.execute(sql.deleteMark, s -> s.setString(1, container));
        });
    }

    @Override
    public CompletableFuture<Void> markDelivered(String queue, long upToId) {
        return checkName(queue).orElseGet(() -> writer.submit(tx -> tx.batch(sql.upsertMark, s -> {
            s.setString(1, queue);
            s.setLong(2, upToId);
        })));
    }

    // ---- prepared XA branches

    @Override
    public CompletableFuture<Void> prepare(byte[] xid, StoreBatch batch) {
        PreparedBatch branch;
        try {
            branch = new PreparedBatch(xid, batch);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        for (StoreBatch.Add a : batch.adds()) {
            Optional<CompletableFuture<Void>> bad = checkName(a.queue());
            if (bad.isPresent()) {
                return bad.get();
            }
        }
        byte[] id = branch.xid();
        return writer.submit(tx -> prepare(tx, id, batch));
    }

    private void prepare(WriteTransaction tx, byte[] xid, StoreBatch batch) throws SQLException {
        if (isPrepared(tx, xid)) {
            throw new IllegalStateException("transaction branch " + hex(xid) + " is prepared already");
        }
        for (StoreBatch.Add a : batch.adds()) {
            PreparedStatement s = tx.query(sql.messageExists);
            s.setString(1, a.queue());
            s.setLong(2, a.message().id());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException("transaction branch " + hex(xid) + " adds message "
                            + a.message().id() + " to " + a.queue() + ", which holds that id already");
                }
            }
        }
        long seq = preparedSeq.incrementAndGet();
        tx.execute(sql.insertPrepared, s -> {
            s.setBytes(1, xid);
            s.setLong(2, seq);
        });
        int pos = 0;
        for (StoreBatch.Add a : batch.adds()) {
            int p = pos++;
            tx.batch(sql.insertPreparedAdd, s -> {
                s.setString(1, a.queue());
                s.setLong(2, a.message().id());
                s.setBytes(3, xid);
                s.setInt(4, p);
                s.setInt(5, a.message().envelope().length);
                s.setBytes(6, a.message().envelope());
            });
        }
        for (StoreBatch.Remove r : batch.removes()) {
            int p = pos++;
            tx.batch(sql.insertPreparedRemove, s -> {
                s.setBytes(1, xid);
                s.setInt(2, p);
                s.setString(3, r.queue());
                s.setLong(4, r.id());
            });
        }
    }

    @Override
    public CompletableFuture<Void> commitPrepared(byte[] xid) {
        byte[] id = xid.clone();
        return writer.submit(tx -> {
            requirePrepared(tx, id);
            PreparedStatement totals = tx.query(sql.preparedAddTotals);
            totals.setBytes(1, id);
            try (ResultSet rs = totals.executeQuery()) {
                rs.next();
                tx.added(rs.getLong(1), rs.getLong(2));
            }
            tx.execute(sql.applyPreparedAdds, s -> s.setBytes(1, id));
            List<StoreBatch.Remove> removes = new ArrayList<>();
            PreparedStatement select = tx.query(sql.preparedRemoves);
            select.setBytes(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    removes.add(new StoreBatch.Remove(rs.getString(1), rs.getLong(2)));
                }
            }
            for (StoreBatch.Remove r : removes) {
                remove(tx, r.queue(), r.id());
            }
            forgetPrepared(tx, id);
        });
    }

    @Override
    public CompletableFuture<Void> rollbackPrepared(byte[] xid) {
        byte[] id = xid.clone();
        return writer.submit(tx -> {
            requirePrepared(tx, id);
            forgetPrepared(tx, id);
        });
    }

    private boolean isPrepared(WriteTransaction tx, byte[] xid) throws SQLException {
        PreparedStatement s = tx.query(sql.preparedExists);
        s.setBytes(1, xid);
        try (ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    private void requirePrepared(WriteTransaction tx, byte[] xid) throws SQLException {
        if (!isPrepared(tx, xid)) {
            throw new IllegalArgumentException("transaction branch " + hex(xid) + " is not prepared");
        }
    }

    private void forgetPrepared(WriteTransaction tx, byte[] xid) throws SQLException {
        tx.execute(sql.deletePreparedAdds, s -> s.setBytes(1, xid));
        tx.execute(sql.deletePreparedRemoves, s -> s.setBytes(1, xid));
        tx.execute(sql.deletePrepared, s -> s.setBytes(1, xid));
    }

    @Override
    public List<PreparedBatch> prepared() {
        Map<String, List<StoreBatch.Add>> adds = new LinkedHashMap<>();
        Map<String, List<StoreBatch.Remove>> removes = new LinkedHashMap<>();
        List<byte[]> xids = new ArrayList<>();
        query(sql.prepared, s -> { }, rs -> xids.add(rs.getBytes(1)));
        query(sql.allPreparedAdds, s -> { }, rs -> adds.computeIfAbsent(hex(rs.getBytes(1)), k -> new ArrayList<>())
                .add(new StoreBatch.Add(rs.getString(2), new StoredMessage(rs.getLong(3), rs.getBytes(4)))));
        query(sql.allPreparedRemoves, s -> { }, rs -> removes.computeIfAbsent(hex(rs.getBytes(1)),
                k -> new ArrayList<>()).add(new StoreBatch.Remove(rs.getString(2), rs.getLong(3))));
        List<PreparedBatch> result = new ArrayList<>();
        for (byte[] xid : xids) {
            String key = hex(xid);
            result.add(new PreparedBatch(xid, new StoreBatch(adds.getOrDefault(key, List.of()),
                    removes.getOrDefault(key, List.of()))));
        }
        return result;
    }

    // ---- reads

    @Override
    public Optional<StoredMessage> read(String queue, long id) {
        List<StoredMessage> found = new ArrayList<>(1);
        query(sql.readMessage, s -> {
            s.setString(1, queue);
            s.setLong(2, id);
        }, rs -> found.add(new StoredMessage(id, rs.getBytes(1))));
        return found.stream().findFirst();
    }

    @Override
    public Set<String> queueNames() {
        Set<String> names = new LinkedHashSet<>();
        query(sql.containers, s -> { }, rs -> names.add(rs.getString(1)));
        return names;
    }

    @Override
    public int recover(String queue, long afterId, int max, Consumer<StoredMessage> visitor) {
        if (max <= 0) {
            return 0;
        }
        List<StoredMessage> page = new ArrayList<>();
        query(sql.page, s -> {
            s.setString(1, queue);
            s.setLong(2, afterId);
            s.setInt(3, max);
        }, rs -> page.add(new StoredMessage(rs.getLong(1), rs.getBytes(2))));
        page.forEach(visitor);
        return page.size();
    }

    @Override
    public long maxId(String queue) {
        long held = queryLong(sql.maxMessageId, s -> s.setString(1, queue), Long.MIN_VALUE);
        long prepared = queryLong(sql.maxPreparedId, s -> s.setString(1, queue), Long.MIN_VALUE);
        return Math.max(held, prepared);
    }

    @Override
    public long count(String queue) {
        return queryLong(sql.countMessages, s -> s.setString(1, queue), 0);
    }

    @Override
    public long usedBytes() {
        synchronized (estimate) {
            return heldBytes;
        }
    }

    @Override
    public List<StoredSubscription> subscriptions() {
        List<StoredSubscription> subs = new ArrayList<>();
        query(sql.subscriptions, s -> { }, rs -> subs.add(new StoredSubscription(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getInt(5) != 0, rs.getInt(6) != 0, rs.getString(7))));
        return subs;
    }

    @Override
    public long deliveredMark(String queue) {
        return queryLong(sql.readMark, s -> s.setString(1, queue), Long.MIN_VALUE);
    }

    @Override
    public List<String> describeSpace() {
        return new SpaceReport(options, schema, sql, this::query).lines(usedBytes(), subscriptions(), prepared());
    }

    @Override
    public void close() {
        writer.close();
        pool.close();
    }

    // ---- helpers

    /** Reads one row at a time. */
    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs a query on a pooled connection and passes each row to {@code reader}. */
    void query(String text, WriteTransaction.Binder binder, RowReader reader) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(text)) {
            binder.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new JdbcStoreException("cannot read from " + options.safeUrl() + ": " + e.getMessage(), e);
        }
    }

    private long queryLong(String text, WriteTransaction.Binder binder, long whenNone) {
        long[] value = {whenNone};
        query(text, binder, rs -> {
            long v = rs.getLong(1);
            if (!rs.wasNull()) {
                value[0] = v;
            }
        });
        return value[0];
    }

    private void committed(long addedRows, long addedBytes, long removedRows) {
        synchronized (estimate) {
            long rows = heldRows + addedRows;
            long bytes = heldBytes + addedBytes;
            long average = rows > 0 ? bytes / rows : 0;
            heldRows = Math.max(0, rows - removedRows);
            heldBytes = heldRows == 0 ? 0 : Math.max(0, bytes - removedRows * average);
        }
    }

    private Optional<CompletableFuture<Void>> checkName(String container) {
        if (container.length() > dialect.maxNameLength()) {
            return Optional.of(CompletableFuture.failedFuture(new IllegalArgumentException("the name " + container
                    + " is longer than the " + dialect.maxNameLength() + " characters the JDBC store on " + dialect
                    + " keeps")));
        }
        return Optional.empty();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
