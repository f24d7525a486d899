package io.tern.store.journal;

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

/** A broker configured with {@code store=journal} keeps persistent messages across a restart of the broker. */
@Timeout(30)
class JournalBrokerTest {
    private static final WireDestination Q = WireDestination.queue("durable");

    @TempDir
    Path dir;

    private BrokerConfig config(String name) {
        return ConfigLoader.fromOptions(Map.of("store", "journal", "journal.file-size", "65536"), "test",
                BrokerConfig.builder().name(name).port(0).dataDir(dir).heartbeatMillis(0));
    }

    @Test
    void persistentMessagesSurviveABrokerRestart() {
        BrokerConfig config = config("journal-broker");
        try (Broker first = new Broker(config)) {
            first.start();
            assertThat(first.storeKind()).isEqualTo("journal");
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
        assertThat(JournalStoreFactory.directory(config).resolve("db-1.log")).exists();
        try (Broker second = new Broker(config)) {
            second.start();
            assertThat(second.queueDepth("durable")).isEqualTo(2);
            try (WireTestClient client = WireTestClient.vm("journal-broker")) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("acked");
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("kept-2");
            }
        }
    }

    @Test
    void aSecondBrokerOnTheSameDataDirDoesNotStartAndSaysWhy() {
        try (Broker first = new Broker(config("first"))) {
            first.start();
            try (Broker second = new Broker(config("second"))) {
                assertThatThrownBy(second::start).isInstanceOf(BrokerException.class)
                        .hasMessageContaining("journal").hasMessageContaining(dir.toString())
                        .hasMessageContaining("in use");
            }
        }
    }

    @Test
    void aBadStoreOptionStopsTheStartNamingIt() {
        BrokerConfig config = BrokerConfig.builder().name("bad").port(0).dataDir(dir).store("journal")
                .storeOption("journal.sync", "sometimes").build();
        try (Broker broker = new Broker(config)) {
            assertThatThrownBy(broker::start).isInstanceOf(BrokerException.class)
                    .hasMessageContaining("sometimes");
        }
    }
}
