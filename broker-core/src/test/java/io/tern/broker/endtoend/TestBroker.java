package io.tern.broker.endtoend;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernConnectionFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real broker in this JVM for one test: TCP on an ephemeral port of 127.0.0.1 and a vm:// name of its own.
 * Close it in the test (try-with-resources or @AfterEach).
 */
final class TestBroker implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Broker broker;
    private final String vmName;

    private TestBroker(Broker broker, String vmName) {
        this.broker = broker;
        this.vmName = vmName;
    }

    static TestBroker start(Path dataDir) throws Exception {
        return start(dataDir, b -> b);
    }

    static TestBroker start(Path dataDir, UnaryOperator<BrokerConfig.Builder> customizer) throws Exception {
        String vmName = "e2e-" + COUNTER.incrementAndGet();
        BrokerConfig config = customizer.apply(BrokerConfig.builder()
                .name(vmName)
                .host("127.0.0.1")
                .port(0)
                .vmName(vmName)
                .dataDir(dataDir)
                .store("memory")).build();
        Broker broker = new Broker(config);
        broker.start();
        return new TestBroker(broker, vmName);
    }

    Broker broker() {
        return broker;
    }

    String tcpUrl() {
        return "tcp://127.0.0.1:" + broker.port();
    }

    String vmUrl() {
        return "vm://" + vmName + "?create=false";
    }

    /** A factory for the transport named "tcp" or "vm", with extra URI parameters (may be empty). */
    TernConnectionFactory factory(String transport, String params) {
        String url = "tcp".equals(transport) ? tcpUrl() : vmUrl();
        if (!params.isEmpty()) {
            url += (url.contains("?") ? "&" : "?") + params;
        }
        return new TernConnectionFactory(url);
    }

    @Override
    public void close() {
        broker.stop();
    }
}
