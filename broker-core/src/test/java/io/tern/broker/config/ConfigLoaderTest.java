package io.tern.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.BrokerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("tern.properties"), content);
    }

    private static Properties system(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsWhenNothingIsGiven() {
        assertThat(ConfigLoader.load(Map.of(), null, new Properties(), Map.of())).isEqualTo(BrokerConfig.defaults());
    }

    @Test
    void flagsBeatSystemPropertiesBeatEnvironmentBeatFile() throws IOException {
        Path f = file("port=1001\nname=from-file\nhost=10.0.0.1\ndata-dir=/file\nqueues=a, b\n");
        Map<String, String> env = Map.of("TERN_PORT", "1002", "TERN_NAME", "from-env", "TERN_HOST", "10.0.0.2",
                "TERN_HOME", "/ignored");
        Properties sys = system("tern.port", "1003", "tern.name", "from-sys", "java.version", "ignored");
        BrokerConfig c = ConfigLoader.load(Map.of("port", "1004"), f, sys, env);
        assertThat(c.port()).isEqualTo(1004);
        assertThat(c.name()).isEqualTo("from-sys");
        assertThat(c.host()).isEqualTo("10.0.0.2");
        assertThat(c.dataDir()).isEqualTo(Path.of("/file"));
        assertThat(c.queues()).isEqualTo(List.of("a", "b"));
        assertThat(c.vmName()).isEqualTo("from-sys");
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path f = file("""
                name=b1
                host=0.0.0.0
                port=0
                vm-name=vm1
                data-dir=store
                auto-create-destinations=false
                max-frame-size=4096
                heartbeat-ms=0
                queues=q1,q2
                topics=t1
                users=alice:secret, bob:pw:with:colons
                store=journal
                journal.file-size=65536
                journal.sync=periodic
                journal.sync-interval-ms=50
                journal.compact-below-percent=20
                journal.checkpoint-interval-ms=250
                journal.spin-micros=0
                """);
        BrokerConfig c = ConfigLoader.load(Map.of(), f, new Properties(), Map.of());
        assertThat(c).isEqualTo(BrokerConfig.builder().name("b1").host("0.0.0.0").port(0).vmName("vm1")
                .dataDir(Path.of("store")).autoCreateDestinations(false).maxFrameSize(4096).heartbeatMillis(0)
                .queues(List.of("q1", "q2")).topics(List.of("t1"))
                .users(Map.of("alice", "secret", "bob", "pw:with:colons")).store("journal")
                .storeOption("journal.file-size", "65536").storeOption("journal.sync", "periodic")
                .storeOption("journal.sync-interval-ms", "50")
                .storeOption("journal.compact-below-percent", "20")
                .storeOption("journal.checkpoint-interval-ms", "250").storeOption("journal.spin-micros", "0")
                .build());
    }

    @Test
    void redeliveryKeysShapeTheDefaultPolicyAndBadValuesAreNamed() throws IOException {
        Path f = file("max-deliveries=4\ndead-letter-queue=dead\nredelivery-delay-ms=100\nredelivery-backoff=2.5\n"
                + "redelivery-max-delay-ms=9000\n");
        BrokerConfig c = ConfigLoader.load(Map.of(), f, new Properties(), Map.of());
        assertThat(c.redelivery()).isEqualTo(new io.tern.broker.destination.RedeliveryPolicy(4, "dead", 100, 2.5,
                9000));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file("redelivery-backoff=0.5\n"), new Properties(),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("redelivery-backoff")
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file("max-deliveries=many\n"), new Properties(),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("max-deliveries");
    }

    @Test
    void producerFlowKeysSetTheLimitAndTheStallTime() throws IOException {
        assertThat(BrokerConfig.defaults().producerFlow()).isEqualTo(new io.tern.broker.flow.FlowLimit(64 * 1024, 1000));
        BrokerConfig c = ConfigLoader.load(Map.of(), file("producer-flow-limit=1m\nproducer-flow-stall-ms=250\n"),
                new Properties(), Map.of());
        assertThat(c.producerFlow()).isEqualTo(new io.tern.broker.flow.FlowLimit(1 << 20, 250));
        assertThat(ConfigLoader.load(Map.of(), file("producer-flow-limit=0\n"), new Properties(), Map.of())
                .producerFlow().isOff()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file("producer-flow-stall-ms=0\n"), new Properties(),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("producer-flow-stall-ms");
    }

    @Test
    void aQueueMayHaveItsOwnRedeliveryPolicyStartingFromTheBrokerWideOne() throws IOException {
        Path f = file("max-deliveries=4\nredelivery-delay-ms=100\nqueue.orders.eu.max-deliveries=2\n"
                + "queue.orders.eu.dead-letter-queue=orders.DLQ\n");
        BrokerConfig c = ConfigLoader.load(Map.of(), f, new Properties(), Map.of());
        assertThat(c.queuePolicies()).containsOnlyKeys("orders.eu");
        assertThat(c.queuePolicies().get("orders.eu"))
                .isEqualTo(new io.tern.broker.destination.RedeliveryPolicy(2, "orders.DLQ", 100, 1.0, 60_000));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file("queue.orders.colour=red\n"), new Properties(),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("queue.orders.colour")
                .hasMessageContaining("queue.NAME.max-deliveries");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), file("queue.q.max-deliveries=-1\n"), new Properties(),
                Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("queue.q.max-deliveries=-1");
    }

    @Test
    void unknownKeyInFileIsAnErrorNamingIt() throws IOException {
        Path f = file("prot=1\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), f, new Properties(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'prot'").hasMessageContaining(f.toString()).hasMessageContaining("port");
    }

    @Test
    void unknownTernSystemPropertyIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, system("tern.datadir", "x"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("datadir")
                .hasMessageContaining("system property tern.datadir");
    }

    @Test
    void badValuesNameKeyValueAndSource() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, system("tern.port", "abc"), Map.of()))
                .hasMessageContaining("port=abc").hasMessageContaining("system property tern.port")
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, new Properties(), Map.of("TERN_PORT", "70000")))
                .hasMessageContaining("port=70000").hasMessageContaining("environment variable TERN_PORT")
                .hasMessageContaining("0..65535");
        Path f = file("auto-create-destinations=yes\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), f, new Properties(), Map.of()))
                .hasMessageContaining("auto-create-destinations=yes").hasMessageContaining("config file");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("max-frame-size", "10"), null, new Properties(), Map.of()))
                .hasMessageContaining("max-frame-size=10").hasMessageContaining("command line --max-frame-size");
    }

    @Test
    void badStoreOptionsNameKeyValueAndSource() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, new Properties(),
                Map.of("TERN_JOURNAL_SYNC", "sometimes")))
                .hasMessageContaining("journal.sync=sometimes").hasMessageContaining("TERN_JOURNAL_SYNC")
                .hasMessageContaining("always, periodic, never");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), null, system("tern.journal.file-size", "100"), Map.of()))
                .hasMessageContaining("journal.file-size=100").hasMessageContaining("4096..");
    }

    @Test
    void optionsAcceptCamelCase() {
        BrokerConfig c = ConfigLoader.fromOptions(Map.of("autoCreateDestinations", "false"), "vm://x options",
                BrokerConfig.builder());
        assertThat(c.autoCreateDestinations()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.fromOptions(Map.of("bogus", "1"), "vm://x options",
                BrokerConfig.builder())).hasMessageContaining("bogus").hasMessageContaining("vm://x options");
    }
}
