package io.tern.broker.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.WireTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    /** broker-core's tests have no journal jar: run the launched broker on the memory store. */
    private static Properties memoryStore() {
        Properties p = new Properties();
        p.setProperty("tern.store", "memory");
        return p;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startsPrintsOneReadyLineAndStopsCleanly(@TempDir Path dir) {
        int code = main.start(new String[] {"--port", "0", "--data-dir", dir.toString(), "--name", "launched"},
                memoryStore(), Map.of());
        try {
            assertThat(code).isZero();
            int port = main.broker().port();
            assertThat(out()).isEqualTo("Tern broker 'launched' ready on tcp://127.0.0.1:" + port
                    + " (store: memory, data: " + dir + ")" + System.lineSeparator());
            try (WireTestClient client = WireTestClient.tcp(port)) {
                assertThat(client.hello().brokerName()).isEqualTo("launched");
            }
        } finally {
            main.stop();
        }
        assertThat(out()).endsWith("Tern broker 'launched' stopped cleanly" + System.lineSeparator());
    }

    @Test
    void portInUseIsOneLineNamingHostAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int code = main.start(new String[] {"--port", String.valueOf(taken.getLocalPort())}, memoryStore(),
                    Map.of());
            assertThat(code).isEqualTo(Main.FAILED);
            assertThat(err()).contains("127.0.0.1:" + taken.getLocalPort()).doesNotContain("\tat ");
            assertThat(err().strip().lines()).hasSize(1);
            assertThat(main.broker()).isNull();
        }
    }

    @Test
    void badFlagPrintsUsageAndExitsWithTwo() {
        assertThat(main.start(new String[] {"--prot", "1"}, memoryStore(), Map.of())).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--prot").contains("Usage: tern broker");
        assertThat(main.start(new String[] {"--port"}, memoryStore(), Map.of())).isEqualTo(Main.USAGE);
    }

    @Test
    void badValueIsAnErrorNamingIt() {
        assertThat(main.start(new String[] {"--port", "abc"}, memoryStore(), Map.of())).isEqualTo(Main.FAILED);
        assertThat(err()).contains("port=abc").contains("command line --port");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(main.start(new String[] {"--help"}, memoryStore(), Map.of())).isZero();
        assertThat(out()).contains("--config FILE");
    }
}
