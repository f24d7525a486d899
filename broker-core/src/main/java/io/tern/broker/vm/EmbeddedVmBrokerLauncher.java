package io.tern.broker.vm;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.jms.provider.VmBrokerLauncher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts an in-JVM broker for {@code vm://NAME} the first time a client asks for one (found by the client through
 * {@link java.util.ServiceLoader}). The broker listens only at {@code vm://NAME} (no TCP, no heartbeats), keeps
 * messages in memory and runs for the life of the JVM unless {@link #stop(String)} ends it. A broker started
 * explicitly with that vm name is used as it is.
 *
 * <p>Options are config keys ({@code io.tern.broker.config.ConfigKey}), in the file's spelling or camel case,
 * e.g. {@code vm://test?broker.autoCreateDestinations=false}.
 */
public final class EmbeddedVmBrokerLauncher implements VmBrokerLauncher {
    private static final Map<String, Broker> STARTED = new ConcurrentHashMap<>();

    @Override
    public void ensureStarted(String name, Map<String, String> options) {
        synchronized (STARTED) {
            if (Broker.atVm(name).isPresent()) {
                return;
            }
            BrokerConfig config = ConfigLoader.fromOptions(options, "vm://" + name + " options",
                    BrokerConfig.builder().name(name).vmName(name).tcpEnabled(false).heartbeatMillis(0)
                            .store("memory"));
            Broker broker = new Broker(config.toBuilder().tcpEnabled(false).vmName(name).build());
            broker.start();
            STARTED.put(name, broker);
        }
    }

    /** Stops the broker this launcher started for {@code vm://name}, if any (for tests). */
    public static void stop(String name) {
        synchronized (STARTED) {
            Broker broker = STARTED.remove(name);
            if (broker != null) {
                broker.stop();
            }
        }
    }
}
