package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class TopicTest {
    private static final WireDestination NEWS = WireDestination.topic("news");

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void everySubscriberGetsEveryMessagePublishedAfterItOpened() {
        try (WireTestClient publisher = broker.connected(); WireTestClient a = broker.connected();
             WireTestClient b = broker.vmClient()) {
            b.hello();
            publisher.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            publisher.sendMessage(1, Messages.to(NEWS).text("before"));
            a.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            a.openConsumer(1, 1, NEWS, 10);
            b.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            b.openConsumer(1, 1, NEWS, 10);
            publisher.sendMessage(1, Messages.to(NEWS).text("after"));
            assertThat(Messages.textOf(a.expect(Frame.Deliver.class).envelope())).isEqualTo("after");
            assertThat(Messages.textOf(b.expect(Frame.Deliver.class).envelope())).isEqualTo("after");
            a.expectNothing(Duration.ofMillis(200));
            assertThat(broker.get().topicStats("news").orElseThrow().consumers()).isEqualTo(2);
        }
    }

    /**
     * The answer to a subscriber's CONSUMER_OPEN means it is subscribed: a message another connection publishes once
     * that answer arrived reaches it. (The answer used to go out before the subscription existed, and a message
     * published in between was lost to it.)
     */
    @Test
    void aMessagePublishedOnceTheSubscribersOpenIsAnsweredReachesIt() {
        try (WireTestClient publisher = broker.connected(); WireTestClient subscriber = broker.connected()) {
            publisher.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            subscriber.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            for (int i = 1; i <= 200; i++) {
                WireDestination topic = WireDestination.topic("race." + i);
                subscriber.openConsumer(i, 1, topic, 10);
                publisher.sendMessage(1, Messages.to(topic).text("m" + i));
                assertThat(Messages.textOf(subscriber.expect(Frame.Deliver.class).envelope()))
                        .as("round %d", i).isEqualTo("m" + i);
            }
        }
    }

    @Test
    void noLocalSkipsMessagesFromTheSameConnection() {
        try (WireTestClient self = broker.connected(); WireTestClient other = broker.connected()) {
            self.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            self.openConsumer(1, 1, NEWS, 10, Frame.ConsumerOpen.NO_LOCAL);
            self.openConsumer(2, 1, NEWS, 10);
            self.sendMessage(1, Messages.to(NEWS).text("mine"));
            assertThat(self.expect(Frame.Deliver.class).consumerId()).isEqualTo(2);
            self.expectNothing(Duration.ofMillis(200));

            other.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            other.sendMessage(1, Messages.to(NEWS).text("theirs"));
            Frame.Deliver d1 = self.expect(Frame.Deliver.class);
            Frame.Deliver d2 = self.expect(Frame.Deliver.class);
            assertThat(java.util.List.of(d1.consumerId(), d2.consumerId())).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void closedSubscriptionReceivesNothingMore() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 1, NEWS, 10);
            client.closeConsumer(1);
            client.sendMessage(1, Messages.to(NEWS).text("gone"));
            client.expectNothing(Duration.ofMillis(200));
            assertThat(broker.get().topicStats("news").orElseThrow().consumers()).isZero();
        }
    }
}
