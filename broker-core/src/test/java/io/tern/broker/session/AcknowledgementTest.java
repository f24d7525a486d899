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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class AcknowledgementTest {
    private static final WireDestination Q = WireDestination.queue("work");

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private WireTestClient consumerWithOneMessage(String text) {
        WireTestClient client = broker.connected();
        client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
        client.sendMessage(1, Messages.to(Q).persistent(true).text(text));
        client.openConsumer(1, 1, Q, 10);
        return client;
    }

    @Test
    void sessionCloseReturnsUnackedAsRedelivered() {
        try (WireTestClient client = consumerWithOneMessage("a"); WireTestClient other = broker.connected()) {
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            client.closeSession(1, d.deliveryId());

            other.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            other.openConsumer(1, 1, Q, 10);
            Frame.Deliver again = other.expect(Frame.Deliver.class);
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(Messages.textOf(again.envelope())).isEqualTo("a");
        }
    }

    @Test
    void sessionCloseReturnsUnseenDeliveriesUncounted() {
        try (WireTestClient client = consumerWithOneMessage("a"); WireTestClient other = broker.connected()) {
            client.expect(Frame.Deliver.class);
            client.closeSession(1);

            other.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            other.openConsumer(1, 1, Q, 10);
            assertThat(other.expect(Frame.Deliver.class).deliveryCount()).isEqualTo(1);
        }
    }

    @Test
    void connectionDropReturnsUnackedAsRedelivered() {
        WireTestClient client = consumerWithOneMessage("a");
        client.expect(Frame.Deliver.class);
        client.close();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.get().queueStats("work").orElseThrow().inFlight() == 0);
        try (WireTestClient other = broker.connected()) {
            other.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            other.openConsumer(1, 1, Q, 10);
            assertThat(other.expect(Frame.Deliver.class).deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    void releasedReturnsUncountedAndRedeliverCounts() {
        try (WireTestClient client = consumerWithOneMessage("a")) {
            Frame.Deliver first = client.expect(Frame.Deliver.class);
            client.ack(1, AckKind.RELEASED, first.deliveryId());
            Frame.Deliver second = client.expect(Frame.Deliver.class);
            assertThat(second.deliveryCount()).isEqualTo(1);
            assertThat(second.deliveryId()).isGreaterThan(first.deliveryId());

            client.ack(1, AckKind.REDELIVER, second.deliveryId());
            assertThat(client.expect(Frame.Deliver.class).deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    void releasedMessageGoesBackToItsOriginalPosition() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            client.sendMessage(1, Messages.to(Q).text("first"));
            client.sendMessage(1, Messages.to(Q).text("second"));
            client.openConsumer(1, 1, Q, 1);
            client.expect(Frame.Deliver.class);
            client.closeConsumer(1);
            client.openConsumer(2, 1, Q, 1);
            assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("first");
        }
    }

    @Test
    void consumerCloseKeepsDeliveredMessagesWithTheSession() {
        try (WireTestClient client = consumerWithOneMessage("a")) {
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            client.closeConsumer(1, d.deliveryId());
            assertThat(broker.get().queueStats("work").orElseThrow().inFlight()).isEqualTo(1);
            client.ack(1, AckKind.CONSUMED, d.deliveryId());
            assertThat(broker.get().queueDepth("work")).isZero();
        }
    }

    @Test
    void ackOfUnknownDeliveryIsIgnored() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            client.ack(1, AckKind.CONSUMED, 12345L);
        }
    }

    @Test
    void closeFrameReleasesEverySession() {
        try (WireTestClient client = consumerWithOneMessage("a")) {
            client.expect(Frame.Deliver.class);
            client.send(new Frame.Close(99));
            client.expectOk(99);
            assertThat(broker.get().queueStats("work").orElseThrow().pending()).isEqualTo(1);
        }
    }
}
