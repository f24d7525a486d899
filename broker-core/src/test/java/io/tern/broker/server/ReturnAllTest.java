package io.tern.broker.server;

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

/**
 * ACK RETURN_ALL (Session.recover and rollback): the broker pauses the session's consumers, takes back every
 * delivery it holds for them (the named ones counted), and sends them again, oldest first, only once the client
 * grants credit again, so a client that drops whatever reached it before the answer sees them in their order.
 */
@Timeout(20)
class ReturnAllTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void everyDeliveryComesBackInOrderAfterTheClientGrantsCreditAgain() {
        WireDestination queue = WireDestination.queue("returned");
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            for (int i = 0; i < 4; i++) {
                client.sendMessage(1, Messages.to(queue).persistent(true).text("m" + i));
            }
            client.openConsumer(7, 1, queue, 10);
            long[] ids = new long[4];
            for (int i = 0; i < 4; i++) {
                Frame.Deliver d = client.expect(Frame.Deliver.class);
                assertThat(Messages.textOf(d.envelope())).isEqualTo("m" + i);
                ids[i] = d.deliveryId();
            }

            // the application saw m0 and m1; m2 and m3 were only buffered; their order in the frame does not matter
            client.ack(1, AckKind.RETURN_ALL, ids[1], ids[0]);
            client.expectNothing(Duration.ofMillis(200)); // paused: nothing until credit comes

            client.send(new Frame.Credit(7, 10));
            for (int i = 0; i < 4; i++) {
                Frame.Deliver d = client.expect(Frame.Deliver.class);
                assertThat(Messages.textOf(d.envelope())).as("delivery %d", i).isEqualTo("m" + i);
                assertThat(d.deliveryCount()).as("m%d counted", i).isEqualTo(i < 2 ? 2 : 1);
                assertThat(d.deliveryId()).isGreaterThan(ids[3]);
            }
        }
    }
}
