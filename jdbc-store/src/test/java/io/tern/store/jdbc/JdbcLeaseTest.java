package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease on embedded H2 shared by brokers in one JVM: a holder that stops renewing (a frozen broker) keeps a
 * standby waiting until its lease runs out, and no longer; a broker whose lease another broker took refuses to
 * write (fencing, checked in the database) and stops.
 */
@Timeout(60)
class JdbcLeaseTest {
    private static final long LEASE_MS = 3000;

    @TempDir
    Path dir;

    private BrokerConfig config(String name, long leaseMillis, long renewMillis) {
        return BrokerConfig.builder().name(name).port(0).dataDir(dir).heartbeatMillis(0).store("jdbc")
                .standbyPollMillis(50).storeOption("jdbc.pool-size", "3")
                .storeOption("jdbc.lease-ms", Long.toString(leaseMillis))
                .storeOption("jdbc.lease-renew-ms", Long.toString(renewMillis)).build();
    }

    private JdbcOptions options() {
        return JdbcOptions.h2(JdbcStoreFactory.directory(config("any", LEASE_MS, 500)));
    }

    private static Lease lease(JdbcOptions options) {
        return new Lease(new Schema(options.dialect(), options.tablePrefix()), options.dialect());
    }

    @Test
    void aFrozenHolderKeepsTheStandbyWaitingUntilItsLeaseRunsOut() throws Exception {
        JdbcOptions options = options();
        java.nio.file.Files.createDirectories(JdbcStoreFactory.directory(config("any", LEASE_MS, 500)));
        Lease lease = lease(options);
        try (Connection c = DriverManager.getConnection(options.url());
             Broker standby = new Broker(config("standby", LEASE_MS, 500))) {
            c.setAutoCommit(false);
            new Schema(options.dialect(), options.tablePrefix()).createOrCheck(c, options.url());
            c.setAutoCommit(true);
            lease.ensureRow(c);
            // a broker takes the lease and then freezes: it never renews it
            long epoch = lease.acquire(c, "frozen-broker", LEASE_MS).orElseThrow();
            long before = System.nanoTime();
            long expiry = before + TimeUnit.MILLISECONDS.toNanos(lease.read(c).orElseThrow().remainingMillis());

            List<String> holders = new CopyOnWriteArrayList<>();
            standby.listener(new Broker.Listener() {
                @Override
                public void standby(String holder) {
                    holders.add(holder);
                }
            });
            CompletableFuture<Void> starting = CompletableFuture.runAsync(standby::start);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> standby.state() != Broker.State.STOPPED);
            assertThat(holders).containsExactly("frozen-broker");

            long justBefore = expiry - TimeUnit.MILLISECONDS.toNanos(150);
            Awaitility.await().atMost(Duration.ofMillis(LEASE_MS * 2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> System.nanoTime() - justBefore >= 0);
            if (System.nanoTime() - expiry < 0) {
                assertThat(standby.state()).as("the standby before the frozen holder's lease ran out")
                        .isEqualTo(Broker.State.STANDBY);
            }
            starting.get(LEASE_MS + 10_000, TimeUnit.MILLISECONDS);
            assertThat(standby.state()).isEqualTo(Broker.State.ACTIVE);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before))
                    .as("ms until the standby took over").isLessThan(LEASE_MS + 10_000);

            // the frozen broker wakes up: its lease is gone, it cannot renew it
            assertThat(lease.renew(c, "frozen-broker", epoch, LEASE_MS)).isFalse();
            assertThat(lease.read(c).orElseThrow().holder()).startsWith("standby@");
        }
    }

    @Test
    void aCleanStopReleasesTheLeaseSoTheStandbyTakesOverAtOnce() throws Exception {
        // a lease far longer than the test may take: only a release lets the standby in
        try (Broker first = new Broker(config("first", 600_000, 2000));
             Broker second = new Broker(config("second", 600_000, 2000))) {
            first.start();
            CompletableFuture<Void> starting = CompletableFuture.runAsync(second::start);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.state() == Broker.State.STANDBY);
            first.stop();
            starting.get(30, TimeUnit.SECONDS);
            assertThat(second.state()).isEqualTo(Broker.State.ACTIVE);
        }
    }

    @Test
    void aBrokerWhoseLeaseWasTakenRefusesWritesAndStops() throws Exception {
        JdbcOptions options = options();
        // a long renewal interval: the write, not the renewal, finds out
        try (Broker broker = new Broker(config("usurped", 60_000, 20_000))) {
            broker.start();
            TernConnectionFactory factory = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port());
            try (jakarta.jms.Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("fenced"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                producer.send(session.createTextMessage("before"));
                try (Connection c = DriverManager.getConnection(options.url()); Statement s = c.createStatement()) {
                    // another broker took the lease (as after this one froze past its lease)
                    s.executeUpdate("UPDATE tern_lease SET holder = 'usurper', epoch = epoch + 1");
                    assertThatThrownBy(() -> producer.send(session.createTextMessage("after")))
                            .isInstanceOf(JMSException.class);
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM tern_messages")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("messages in the database").isEqualTo(1);
                    }
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !broker.isStarted());
        }
    }
}
