package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker rebuilds its queues from the store alone: persistent messages survive a restart, others do not. */
@Timeout(20)
class RecoveryTest {
    private static final WireDestination Q = WireDestination.queue("durable");

    @Test
    void persistentMessagesSurviveARestart(@TempDir Path dir) {
        MemoryStore store = new MemoryStore();
        BrokerConfig config = BrokerConfig.builder().name("recovery").port(0).dataDir(dir).heartbeatMillis(0)
                .build();
        try (Broker first = new Broker(config, store)) {
            first.start();
            try (WireTestClient client = WireTestClient.tcp(first.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.sendMessage(1, Messages.to(Q).persistent(true).text("kept-1"));
                client.sendMessage(1, Messages.to(Q).persistent(false).text("lost"));
                client.sendMessage(1, Messages.to(Q).persistent(true).priority(9).text("kept-2"));
                client.sendMessage(1, Messages.to(Q).persistent(true).text("acked"));
                client.openConsumer(1, 1, Q, 1);
                Frame.Deliver d = client.expect(Frame.Deliver.class);
                assertThat(Messages.textOf(d.envelope())).isEqualTo("kept-2");
                client.ack(1, AckKind.CONSUMED, d.deliveryId());
            }
        }
        try (Broker second = new Broker(config, store)) {
            second.start();
            assertThat(second.queueDepth("durable")).isEqualTo(2);
            try (WireTestClient client = WireTestClient.vm("recovery")) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("kept-1");
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("acked");
                client.sendMessage(1, Messages.to(Q).persistent(true).text("new"));
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("new");
            }
        }
    }
}
