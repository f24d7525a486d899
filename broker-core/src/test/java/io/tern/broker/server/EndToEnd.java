package io.tern.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.WireDestination;
import java.util.concurrent.atomic.AtomicLong;

/** A well-behaved round trip: send a message, consume it, acknowledge it. */
final class EndToEnd {
    private static final AtomicLong CONSUMER_IDS = new AtomicLong(1000);

    private EndToEnd() {
    }

    /** Runs a round trip on an open session of {@code client}. */
    static void check(WireTestClient client, int sessionId, WireDestination queue) {
        long consumerId = CONSUMER_IDS.incrementAndGet();
        client.openConsumer(consumerId, sessionId, queue, 10);
        String text = "ping-" + consumerId;
        client.sendMessage(sessionId, Messages.to(queue).persistent(true).text(text));
        Frame.Deliver d = client.expect(Frame.Deliver.class);
        assertThat(Messages.textOf(d.envelope())).isEqualTo(text);
        client.ack(sessionId, AckKind.CONSUMED, d.deliveryId());
        client.closeConsumer(consumerId);
    }
}
