package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
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

/**
 * A broker on a persistent store keeps its persistent messages across a restart, and only those: written once, run
 * by each persistent store module (it names the store's options and says where its data lands).
 */
@Timeout(30)
public abstract class BrokerRestartContractTest {
    private static final WireDestination Q = WireDestination.queue("durable");

    @TempDir
    protected Path dir;

    /** The broker options that select the store, e.g. {@code store=journal}. */
    protected abstract Map<String, String> storeOptions();

    /** Checks that the store wrote its data where it should, after the first broker stopped. */
    protected abstract void assertDataWritten(BrokerConfig config);

    protected BrokerConfig config(String name, Map<String, String> options) {
        return ConfigLoader.fromOptions(options, "test",
                BrokerConfig.builder().name(name).port(0).dataDir(dir).heartbeatMillis(0));
    }

    @Test
    void persistentMessagesSurviveABrokerRestart() {
        BrokerConfig config = config("restart-" + getClass().getSimpleName(), storeOptions());
        try (Broker first = new Broker(config)) {
            first.start();
            assertThat(first.storeKind()).isEqualTo(storeOptions().get("store"));
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
        assertDataWritten(config);
        try (Broker second = new Broker(config)) {
            second.start();
            assertThat(second.queueDepth("durable")).isEqualTo(2);
            try (WireTestClient client = WireTestClient.vm(config.vmName())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("acked");
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("kept-2");
            }
        }
    }
}
