package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of publishes, fanned out from the publisher's connection to subscribers on other connections: the broker
 * hands each connection's deliveries to its event loop in batches (one write task and one flush for what was posted
 * meanwhile), and every frame still arrives, in the order its delivery id was given.
 */
@Timeout(20)
class DeliveryBurstTest {
    private static final WireDestination NEWS = WireDestination.topic("burst");
    private static final int MESSAGES = 300;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void everyDeliveryOfABurstArrivesInOrderWithIncreasingDeliveryIds() {
        try (WireTestClient publisher = broker.connected(); WireTestClient first = broker.connected();
             WireTestClient second = broker.connected()) {
            for (WireTestClient subscriber : List.of(first, second)) {
                subscriber.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                subscriber.openConsumer(1, 1, NEWS, 1000);
                subscriber.openConsumer(2, 1, NEWS, 1000);
            }
            publisher.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            for (int i = 0; i < MESSAGES; i++) {
                // no correlation id: nobody waits for an answer, so the sends arrive as one burst
                publisher.send(new Frame.Send(0, 1, Messages.to(NEWS).persistent(false).text("m" + i)));
            }

            for (WireTestClient subscriber : List.of(first, second)) {
                List<String> toOne = new ArrayList<>();
                List<String> toTwo = new ArrayList<>();
                long lastId = 0;
                for (int n = 0; n < 2 * MESSAGES; n++) {
                    Frame.Deliver d = subscriber.expect(Frame.Deliver.class);
                    assertThat(d.deliveryId()).as("delivery ids arrive in the order given").isGreaterThan(lastId);
                    lastId = d.deliveryId();
                    (d.consumerId() == 1 ? toOne : toTwo).add(Messages.textOf(d.envelope()));
                }
                List<String> published = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    published.add("m" + i);
                }
                assertThat(toOne).isEqualTo(published);
                assertThat(toTwo).isEqualTo(published);
                subscriber.expectNothing(Duration.ofMillis(100));
            }
        }
    }
}
