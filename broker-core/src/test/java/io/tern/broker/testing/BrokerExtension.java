package io.tern.broker.testing;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an in-process broker before each test, on an ephemeral port with a unique {@code vm://} name and its own
 * data directory, and stops it after. A failed test keeps the data directory and prints where it is.
 *
 * <pre>{@code
 * @RegisterExtension
 * final BrokerExtension broker = new BrokerExtension(c -> c.heartbeatMillis(0));
 * }</pre>
 */
public final class BrokerExtension implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final UnaryOperator<BrokerConfig.Builder> customizer;
    private Broker broker;
    private Path dataDir;

    public BrokerExtension() {
        this(UnaryOperator.identity());
    }

    public BrokerExtension(UnaryOperator<BrokerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("tern-broker-test");
        String name = "test-" + COUNTER.incrementAndGet() + "-" + ProcessHandle.current().pid();
        BrokerConfig config = customizer.apply(BrokerConfig.builder().name(name).port(0).dataDir(dataDir)
                .heartbeatMillis(0).store("memory")).build();
        broker = new Broker(config);
        broker.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (broker != null) {
            broker.stop();
        }
        if (context.getExecutionException().isPresent()) {
            System.err.println("broker data directory kept for the failed test: " + dataDir);
        } else {
            delete(dataDir);
        }
    }

    public Broker get() {
        return broker;
    }

    /** A raw client over TCP, not yet handshaken. */
    public WireTestClient tcpClient() {
        return WireTestClient.tcp(broker.port());
    }

    /** A raw client over {@code vm://}, not yet handshaken. */
    public WireTestClient vmClient() {
        return WireTestClient.vm(broker.config().vmName());
    }

    /** A TCP client that has completed its handshake. */
    public WireTestClient connected() {
        WireTestClient client = tcpClient();
        client.hello();
        return client;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
