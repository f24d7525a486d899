package io.tern.bench.tern;

import io.tern.bench.driver.BrokerConsole;
import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import java.nio.file.Path;

/**
 * A Tern broker for the benchmarks: TCP on 127.0.0.1 (a free port), the journal store with its default durability
 * ({@code journal.sync=always}: a persistent send returns after fsync), data in {@code -data DIR}.
 */
public final class TernBroker {
    private TernBroker() {
    }

    public static void main(String[] args) {
        Path data = Path.of(BrokerConsole.option(args, "-data", "target/bench-data/tern"));
        Broker broker = new Broker(BrokerConfig.builder().name("bench").host("127.0.0.1").port(0)
                .dataDir(data).build());
        broker.start();
        BrokerConsole.serve(broker.port(), broker::stop);
    }
}
