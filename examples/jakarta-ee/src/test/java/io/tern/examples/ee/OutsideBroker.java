package io.tern.examples.ee;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.destination.RedeliveryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The broker outside the application server: a Tern broker in the test JVM, on the journal store, at
 * {@code tcp://127.0.0.1:${tern.it.brokerPort}} (the URL the adapter's {@code ServerUrl} is given when WildFly
 * starts). Registered before Arquillian's extension, it is up before WildFly deploys the adapter, and stopped
 * after the class. {@link #restart()} stops it and starts it again on the same port and data directory.
 */
public final class OutsideBroker implements BeforeAllCallback, AfterAllCallback {
    /** The redelivery policy of the {@code orders} queue, in this broker and in the embedded one. */
    static final int MAX_DELIVERIES = 3;

    private static volatile Broker broker;

    static int port() {
        return Integer.getInteger("tern.it.brokerPort");
    }

    static String url() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path dataDir = Path.of(System.getProperty("tern.it.dataDir"), "outside-broker");
        deleteTree(dataDir);
        broker = start(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Broker b = broker;
        broker = null;
        if (b != null) {
            b.close();
        }
    }

    /** A clean stop of the broker, then a new one on the same port and data directory. */
    static void restart() {
        Broker b = broker;
        b.stop();
        broker = start(b.config().dataDir());
    }

    private static Broker start(Path dataDir) {
        Broker b = new Broker(BrokerConfig.builder()
                .name("outside")
                .host("127.0.0.1")
                .port(port())
                .dataDir(dataDir)
                .queuePolicies(Map.of(OrderSender.QUEUE, RedeliveryPolicy.DEFAULT.withMaxDeliveries(MAX_DELIVERIES)))
                .build());
        b.start();
        return b;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir + " failed", e);
        }
    }
}
