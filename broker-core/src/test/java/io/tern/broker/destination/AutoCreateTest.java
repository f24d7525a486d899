package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.DestinationKind;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class AutoCreateTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(c -> c.autoCreateDestinations(false)
            .queues(List.of("configured")));

    @Test
    void unknownDestinationsAreRefusedNamingThem() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.send(new Frame.Send(1, 1, Messages.to(WireDestination.queue("missing")).text("x")));
            Frame.Error send = client.expectError(1);
            assertThat(send.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(send.message()).contains("missing");

            client.send(new Frame.ConsumerOpen(2, 1, 1, WireDestination.topic("nowhere"), null, 0, null, 10));
            Frame.Error open = client.expectError(2);
            assertThat(open.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(open.message()).contains("nowhere");
        }
    }

    @Test
    void configuredCreatedAndTemporaryDestinationsWork() {
        broker.get().createTopic("made");
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.sendMessage(1, Messages.to(WireDestination.queue("configured")).text("x"));
            client.openConsumer(1, 1, WireDestination.topic("made"), 10);
            WireDestination temp = new WireDestination(DestinationKind.TEMPORARY_QUEUE, "ID:tmp-1");
            int corr = client.nextCorrelationId();
            client.send(new Frame.TempCreate(corr, temp));
            client.expectOk(corr);
            client.openConsumer(2, 1, temp, 10);
            client.sendMessage(1, Messages.to(temp).text("reply"));
            assertThat(client.expect(Frame.Deliver.class).consumerId()).isEqualTo(2);
        }
        assertThat(broker.get().queueDepth("configured")).isEqualTo(1);
    }
}
