package io.tern.store.jdbc;

import io.tern.broker.store.StoreLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC store's {@link StoreLock}: a lease on one row of the database ({@link Lease}), so that of several brokers
 * on one database exactly one is active.
 *
 * <p>It has its own connection (not the pool's), renewed on its own thread every {@code renewMillis}. The time a
 * renewal is sent is taken from the monotonic clock; the lease then runs at least {@code leaseMillis} from that
 * moment (the database adds it to its own later clock). A watchdog thread gives up at {@code leaseMillis -
 * renewMillis} after the last successful renewal was sent, whether the renewals fail or hang: the lease is then lost
 * and the handler is told, before any other broker can take the lease. From then on {@link #isHeld()} is false and
 * {@link #fence()} refuses every write transaction; a write transaction also checks in the database, holding the
 * lease row locked until it commits, that the lease is still this broker's (so a take-over waits for it).
 */
final class LeaseLock implements StoreLock {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLock.class);

    private final JdbcOptions options;
    private final LeaseOptions timing;
    private final Schema schema;
    private final Lease lease;
    private final String holder;
    private final AtomicBoolean held = new AtomicBoolean();
    private final Object lostLock = new Object();
    private volatile long epoch;
    private volatile long deadlineNanos;
    private volatile boolean closed;
    private Connection connection;
    private boolean schemaChecked;
    private ScheduledExecutorService renewer;
    private Thread watchdog;
    private Consumer<String> handler;
    private String lostReason;
    private boolean told;

    LeaseLock(JdbcOptions options, LeaseOptions timing, String brokerName) {
        this.options = options;
        this.timing = timing;
        this.schema = new Schema(options.dialect(), options.tablePrefix());
        this.lease = new Lease(schema, options.dialect());
        this.holder = holderName(brokerName);
        if (holder.length() > 400) {
            throw new IllegalArgumentException("the broker name is too long for the lease's holder column");
        }
    }

    /** How this broker is named in the lease row: {@code name@host pid N id HEX} (the id tells restarts apart). */
    private static String holderName(String brokerName) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        byte[] id = new byte[4];
        ThreadLocalRandom.current().nextBytes(id);
        return brokerName + "@" + host + " pid " + ProcessHandle.current().pid() + " id "
                + HexFormat.of().formatHex(id);
    }

    /** This broker's name in the lease row. */
    String name() {
        return holder;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (closed) {
            throw new IllegalStateException("the lease lock is closed");
        }
        if (held.get()) {
            return true;
        }
        try {
            Connection c = connection();
            long sent = System.nanoTime();
            Optional<Long> taken = lease.acquire(c, holder, timing.leaseMillis());
            if (taken.isEmpty()) {
                return false;
            }
            epoch = taken.get();
            deadlineNanos = sent + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
            held.set(true);
            LOG.info("TERN-J0070 lease on {} taken by {} (epoch {}): it lasts {} ms and is renewed every {} ms",
                    options.safeUrl(), holder, epoch, timing.leaseMillis(), timing.renewMillis());
            startHeartbeat();
            return true;
        } catch (SQLException e) {
            closeConnection();
            throw new JdbcStoreException("cannot reach the lease on " + options.safeUrl() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isHeld() {
        return held.get() && System.nanoTime() - deadlineNanos < 0;
    }

    @Override
    public synchronized String holder() {
        try {
            Optional<Lease.Row> row = lease.read(connection());
            if (row.isEmpty() || row.get().holder().isEmpty()) {
                return "nobody";
            }
            Lease.Row r = row.get();
            return r.holder() + (r.remainingMillis() < 0 ? " (lease ran out)" : "");
        } catch (SQLException e) {
            closeConnection();
            throw new JdbcStoreException("cannot read the lease on " + options.safeUrl() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onLost(Consumer<String> lostHandler) {
        synchronized (lostLock) {
            handler = lostHandler;
            tell();
        }
    }

    /**
     * What the writer runs first in each transaction: refuses at once when the lease is not held, else locks the
     * lease row and checks it is still this broker's, at this epoch.
     */
    GroupCommitWriter.Fence fence() {
        return tx -> {
            if (!isHeld()) {
                throw new SQLException("this broker no longer holds the lease on " + options.safeUrl()
                        + ": it may not write to the store");
            }
            PreparedStatement s = tx.query(lease.fenceSql());
            s.setString(1, holder);
            s.setLong(2, epoch);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    lost("another broker took the lease on " + options.safeUrl());
                    throw new SQLException("another broker holds the lease on " + options.safeUrl()
                            + ": this broker may not write to the store");
                }
            }
        };
    }

    private void startHeartbeat() {
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-lease-renewer");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleWithFixedDelay(this::renew, timing.renewMillis(), timing.renewMillis(),
                TimeUnit.MILLISECONDS);
        watchdog = new Thread(this::watch, "tern-lease-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** On the renewer thread. */
    private void renew() {
        if (!held.get()) {
            return;
        }
        long sent = System.nanoTime();
        try {
            Connection c = connection();
            if (lease.renew(c, holder, epoch, timing.leaseMillis())) {
                deadlineNanos = sent + TimeUnit.MILLISECONDS.toNanos(timing.giveUpMillis());
                return;
            }
            String now = lease.read(c).map(r -> r.holder() + " (epoch " + r.epoch() + ")").orElse("nobody");
            lost("the lease on " + options.safeUrl() + " ran out or was taken before this broker renewed it; it"
                    + " is held by " + now);
        } catch (SQLException e) {
            closeConnection();
            if (held.get()) {
                LOG.warn("TERN-J0071 cannot renew the lease on {} ({}); trying again in {} ms; this broker stops "
                        + "serving in {} ms unless a renewal succeeds", options.safeUrl(), e.getMessage(),
                        timing.renewMillis(), Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos
                                - System.nanoTime())));
            }
        }
    }

    /** On the watchdog thread: gives up when the deadline passes without a renewal, however renewals fare. */
    private void watch() {
        while (held.get()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                lost("no renewal of the lease on " + options.safeUrl() + " succeeded for " + timing.giveUpMillis()
                        + " ms (jdbc.lease-ms " + timing.leaseMillis() + " less jdbc.lease-renew-ms "
                        + timing.renewMillis() + "), so the lease may run out within " + timing.renewMillis()
                        + " ms");
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private void lost(String reason) {
        if (!held.compareAndSet(true, false)) {
            return;
        }
        renewer.shutdown();
        LockSupport.unpark(watchdog);
        synchronized (lostLock) {
            lostReason = reason;
            tell();
        }
    }

    private void tell() {
        if (handler != null && lostReason != null && !told) {
            told = true;
            handler.accept(lostReason);
        }
    }

    /**
     * Stops renewing and ends the lease at once if it is held (after the store was closed), so a standby takes
     * over at its next try.
     */
    @Override
    public void close() {
        closed = true;
        boolean wasHeld = held.getAndSet(false);
        boolean idle = true;
        if (renewer != null) {
            renewer.shutdownNow();
            try {
                idle = renewer.awaitTermination(timing.renewMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle = false;
            }
            LockSupport.unpark(watchdog);
        }
        synchronized (this) {
            if (wasHeld && idle) {
                try {
                    lease.release(connection(), holder, epoch);
                    LOG.info("TERN-J0072 lease on {} released by {}", options.safeUrl(), holder);
                } catch (SQLException e) {
                    LOG.warn("TERN-J0073 cannot release the lease on {} ({}); a standby takes over when it runs out",
                            options.safeUrl(), e.getMessage());
                }
            }
            closeConnection();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = DriverManager.getConnection(options.url(), options.user(), options.password());
            try {
                c.setNetworkTimeout(Runnable::run, (int) Math.max(timing.renewMillis(), 1000));
            } catch (SQLException | UnsupportedOperationException notSupported) {
                // H2 embedded has no network; the watchdog bounds a hung renewal anyway
            }
            if (!schemaChecked) {
                try {
                    c.setAutoCommit(false);
                    schema.createOrCheck(c, options.safeUrl());
                    c.setAutoCommit(true);
                    lease.ensureRow(c);
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // failing already
                    }
                    throw e;
                }
                schemaChecked = true;
            }
            c.setAutoCommit(true);
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // broken already
            }
        }
    }
}
