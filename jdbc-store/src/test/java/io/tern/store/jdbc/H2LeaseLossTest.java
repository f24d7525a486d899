package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.ForkedBroker;
import io.tern.broker.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LeaseLossContract} on an H2 TCP server in this JVM. */
class H2LeaseLossTest extends LeaseLossContract {
    private Server server;

    @Override
    int databasePort() throws Exception {
        if (server == null) {
            server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        }
        return server.getPort();
    }

    @Override
    String url(int port) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/lease";
    }

    @Override
    String user() {
        return null;
    }

    /**
     * {@code ./tern broker} cut off from its database stops serving and exits with code 3 (so a supervisor starts it
     * again, as a standby), saying why.
     */
    @Test
    void theLauncherExitsWithCode3WhenItLosesItsLease() throws Exception {
        try (TcpProxy proxy = new TcpProxy(databasePort())) {
            ForkedBroker broker = ForkedBroker.launch("launched", ForkedBroker.freePort(), dir.resolve("launched"),
                    dir.resolve("launched.log"), List.of("-Dtern.store=jdbc", "-Dtern.jdbc.url=" + url(proxy.port()),
                            "-Dtern.jdbc.lease-ms=" + LEASE_MS, "-Dtern.jdbc.lease-renew-ms=" + RENEW_MS))
                    .awaitReady(Duration.ofSeconds(60));
            try {
                proxy.refuse(true); // as a broken network: new connections fail too
                proxy.cut();
                assertThat(broker.awaitExit(Duration.ofMillis(LEASE_MS * 10))).as(broker.log()).isEqualTo(3);
                assertThat(broker.log()).contains("TERN-B0900", "lost the store lock and stopped serving")
                        .doesNotContain("stopped cleanly");
            } finally {
                broker.kill();
            }
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }
}
