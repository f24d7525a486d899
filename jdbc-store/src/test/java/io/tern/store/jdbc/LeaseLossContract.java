package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.TcpProxy;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker whose database connection is cut (a TCP proxy between it and the database closes every connection)
 * stops serving before its lease can run out: its port refuses connections and its clients are disconnected before
 * the lease's expiry, read from the database right after the cut. A second broker, started after the cut and
 * reaching the database directly, stays a standby until the lease ran out, then takes over. Run on H2 (a TCP
 * server in this JVM) in every build and on PostgreSQL and MariaDB in the databases profile.
 */
@Timeout(90)
abstract class LeaseLossContract {
    static final long LEASE_MS = 4000;
    private static final WireDestination QUEUE = WireDestination.queue("lease-loss");
    static final long RENEW_MS = 1000;

    @TempDir
    Path dir;

    /** The database server's TCP port on 127.0.0.1 (the proxy forwards to it). */
    abstract int databasePort() throws Exception;

    /** The JDBC URL of the database through {@code port}. */
    abstract String url(int port);

    abstract String user();

    private BrokerConfig config(String name, String url) {
        BrokerConfig.Builder b = BrokerConfig.builder().name(name).port(0).dataDir(dir.resolve(name))
                .heartbeatMillis(0).store("jdbc").standbyPollMillis(50)
                .storeOption("jdbc.url", url).storeOption("jdbc.pool-size", "3")
                .storeOption("jdbc.lease-ms", Long.toString(LEASE_MS))
                .storeOption("jdbc.lease-renew-ms", Long.toString(RENEW_MS));
        if (user() != null) {
            b.storeOption("jdbc.user", user());
        }
        return b.build();
    }

    @Test
    void aBrokerCutOffFromItsDatabaseStopsServingBeforeItsLeaseRunsOut() throws Exception {
        int database = databasePort();
        try (TcpProxy proxy = new TcpProxy(database);
             Broker cutOff = new Broker(config("cut-off", url(proxy.port())));
             Broker successor = new Broker(config("successor", url(database)))) {
            cutOff.start();
            int port = cutOff.port();
            try (WireTestClient client = WireTestClient.tcp(port)) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                // a write through the fenced writer (it checks the lease row in its transaction)
                client.sendMessage(1, Messages.to(QUEUE).persistent(true).text("before the cut"));
                proxy.refuse(true); // as a broken network: new connections fail too
                proxy.cut();
                long expiry = leaseExpiry(url(database));
                CompletableFuture<Void> takingOver = CompletableFuture.runAsync(successor::start);

                Awaitility.await().atMost(Duration.ofMillis(LEASE_MS * 5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> refuses(port));
                long stopped = System.nanoTime();
                assertThat(TimeUnit.NANOSECONDS.toMillis(expiry - stopped))
                        .as("ms between the cut-off broker's stop and its lease's expiry").isPositive();
                assertThat(client.awaitClosed(Duration.ofSeconds(5))).as("its client was disconnected").isTrue();

                // the successor waits for the lease to run out: just before, it is still a standby
                long justBefore = expiry - TimeUnit.MILLISECONDS.toNanos(150);
                Awaitility.await().atMost(Duration.ofMillis(LEASE_MS * 2)).pollInterval(Duration.ofMillis(5))
                        .until(() -> System.nanoTime() - justBefore >= 0);
                if (System.nanoTime() - expiry < 0) {
                    assertThat(successor.state()).as("the successor before the lease ran out")
                            .isEqualTo(Broker.State.STANDBY);
                }
                takingOver.get(LEASE_MS * 5, TimeUnit.MILLISECONDS);
                assertThat(successor.state()).isEqualTo(Broker.State.ACTIVE);
                assertThat(cutOff.isStarted()).isFalse();
                assertThat(successor.queueDepth(QUEUE.name())).as("messages the successor recovered").isEqualTo(1);
            }
        }
    }

    /** When the current lease runs out, on this JVM's monotonic clock (no later than the database's). */
    private long leaseExpiry(String url) throws Exception {
        JdbcOptions options = new JdbcOptions(url, user(), null, 2, JdbcOptions.DEFAULT_TABLE_PREFIX);
        Lease lease = new Lease(new Schema(options.dialect(), options.tablePrefix()), options.dialect());
        try (Connection c = DriverManager.getConnection(url, user(), null)) {
            long before = System.nanoTime();
            Lease.Row row = lease.read(c).orElseThrow();
            assertThat(row.holder()).startsWith("cut-off@");
            return before + TimeUnit.MILLISECONDS.toNanos(row.remainingMillis());
        }
    }

    private static boolean refuses(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }
}
