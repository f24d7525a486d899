package io.tern.ra;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A broker the adapter runs inside the application server ({@code EmbeddedBroker=true}). This is the only class
 * that touches the broker's jars, and it is loaded only when the option is on, so the adapter runs without them
 * against a remote broker.
 */
final class EmbeddedBroker implements AutoCloseable {
    private final Broker broker;

    private EmbeddedBroker(Broker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker configured from {@code configFile} (a broker properties file, or null for the defaults),
     * with its data in {@code dataDir} when given (it overrides the file's {@code data-dir}).
     */
    static EmbeddedBroker start(String dataDir, String configFile) {
        Map<String, String> flags = new HashMap<>();
        if (dataDir != null && !dataDir.isBlank()) {
            flags.put("data-dir", dataDir);
        }
        Path file = configFile == null || configFile.isBlank() ? null : Path.of(configFile);
        BrokerConfig config = ConfigLoader.load(flags, file, new Properties(), Map.of());
        Broker broker = new Broker(config);
        broker.start();
        return new EmbeddedBroker(broker);
    }

    /** The address connections in this JVM use. */
    String url() {
        return "vm://" + broker.config().vmName();
    }

    @Override
    public void close() {
        broker.stop();
    }
}
