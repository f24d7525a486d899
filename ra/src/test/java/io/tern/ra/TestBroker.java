package io.tern.ra;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernConnectionFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A real broker in this JVM on an ephemeral (or given) port of 127.0.0.1; the test stops it. */
final class TestBroker implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Broker broker;

    private TestBroker(Broker broker) {
        this.broker = broker;
    }

    static TestBroker start(Path dataDir, UnaryOperator<BrokerConfig.Builder> customizer) {
        String name = "ra-" + COUNTER.incrementAndGet();
        BrokerConfig config = customizer.apply(BrokerConfig.builder().name(name).host("127.0.0.1").port(0)
                .vmName(name).dataDir(dataDir).store("memory")).build();
        Broker broker = new Broker(config);
        broker.start();
        return new TestBroker(broker);
    }

    Broker broker() {
        return broker;
    }

    int port() {
        return broker.port();
    }

    String url() {
        return "tcp://127.0.0.1:" + broker.port();
    }

    /** A plain client factory, to look at the broker from outside the adapter. */
    TernConnectionFactory client() {
        return new TernConnectionFactory(url());
    }

    @Override
    public void close() {
        broker.stop();
    }
}
