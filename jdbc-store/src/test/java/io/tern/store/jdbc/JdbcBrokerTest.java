package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import io.tern.broker.config.ConfigLoader;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker configured with {@code store=jdbc} (H2 by default) keeps persistent messages across a restart. */
@Timeout(30)
class JdbcBrokerTest {
    private static final WireDestination Q = WireDestination.queue("durable");

    @TempDir
    Path dir;

    private BrokerConfig config(String name, Map<String, String> options) {
        return ConfigLoader.fromOptions(options, "test",
                BrokerConfig.builder().name(name).port(0).dataDir(dir).heartbeatMillis(0));
    }

    @Test
    void persistentMessagesSurviveABrokerRestart() {
        BrokerConfig config = config("jdbc-broker", Map.of("store", "jdbc", "jdbc.pool-size", "4"));
        try (Broker first = new Broker(config)) {
            first.start();
            assertThat(first.storeKind()).isEqualTo("jdbc");
            try (WireTestClient client = WireTestClient.tcp(first.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.sendMessage(1, Messages.to(Q).persistent(true).text("kept-1"));
                client.sendMessage(1, Messages.to(Q).persistent(false).text("lost"));
                client.sendMessage(1, Messages.to(Q).persistent(true).text("acked"));
                client.sendMessage(1, Messages.to(Q).persistent(true).text("kept-2"));
                client.openConsumer(1, 1, Q, 1);
                Frame.Deliver d = client.expect(Frame.Deliver.class);
                assertThat(Messages.textOf(d.envelope())).isEqualTo("kept-1");
                client.ack(1, AckKind.CONSUMED, d.deliveryId());
            }
        }
        assertThat(JdbcStoreFactory.directory(config).resolve("tern.mv.db")).exists();
        try (Broker second = new Broker(config)) {
            second.start();
            assertThat(second.queueDepth("durable")).isEqualTo(2);
            try (WireTestClient client = WireTestClient.vm("jdbc-broker")) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("acked");
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("kept-2");
            }
        }
    }

    @Test
    void aDatabaseWithoutADialectStopsTheStartNamingIt() {
        BrokerConfig config = config("bad", Map.of("store", "jdbc", "jdbc.url", "jdbc:oracle:thin:@h:1521/x"));
        try (Broker broker = new Broker(config)) {
            assertThatThrownBy(broker::start).isInstanceOf(BrokerException.class)
                    .hasMessageContaining("jdbc:oracle:thin");
        }
    }
}
