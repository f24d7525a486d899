package io.tern.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class TransactionTest {
    private static final WireDestination Q = WireDestination.queue("tx");

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void sendsAreRoutedOnlyOnCommit() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.TRANSACTED);
            client.openSession(2, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 2, Q, 10);
            client.sendMessage(1, Messages.to(Q).persistent(true).text("a"));
            client.sendMessage(1, Messages.to(Q).text("b"));
            client.expectNothing(Duration.ofMillis(300));
            client.commit(1);
            assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("a");
            assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("b");
        }
    }

    @Test
    void rollbackDiscardsSends() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.TRANSACTED);
            client.sendMessage(1, Messages.to(Q).persistent(true).text("a"));
            client.rollback(1);
            client.commit(1);
            assertThat(broker.get().queueDepth("tx")).isZero();
        }
    }

    @Test
    void consumedMessagesAreRemovedOnCommit() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.TRANSACTED);
            client.sendMessage(1, Messages.to(Q).persistent(true).text("a"));
            client.commit(1);
            client.openConsumer(1, 1, Q, 10);
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            client.ack(1, AckKind.CONSUMED, d.deliveryId());
            assertThat(broker.get().queueDepth("tx")).isEqualTo(1);
            client.commit(1);
            assertThat(broker.get().queueDepth("tx")).isZero();
        }
    }

    @Test
    void rollbackRedeliversConsumedMessages() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.TRANSACTED);
            client.sendMessage(1, Messages.to(Q).persistent(true).text("a"));
            client.commit(1);
            client.openConsumer(1, 1, Q, 10);
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            client.ack(1, AckKind.CONSUMED, d.deliveryId());
            client.rollback(1);
            Frame.Deliver again = client.expect(Frame.Deliver.class);
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(again.deliveryId()).isGreaterThan(d.deliveryId());
        }
    }

    @Test
    void sessionCloseRollsBackItsTransaction() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.TRANSACTED);
            client.sendMessage(1, Messages.to(Q).text("never"));
            client.closeSession(1);
            assertThat(broker.get().queueDepth("tx")).isZero();
        }
    }
}
