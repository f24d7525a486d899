package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Consumers with selectors on queues and topics, over the raw wire protocol. */
@Timeout(20)
class SelectorDispatchTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");
    private static final WireDestination NEWS = WireDestination.topic("news");
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private static byte[] message(WireDestination to, String text, Map<String, Object> properties) {
        return Messages.to(to).properties(properties).text(text);
    }

    private static List<String> texts(WireTestClient client, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(Messages.textOf(client.expect(Frame.Deliver.class).envelope()));
        }
        return texts;
    }

    @Test
    void queueConsumersWithDisjointSelectorsGetOnlyTheirMessagesInOrder() {
        try (WireTestClient producer = broker.connected(); WireTestClient red = broker.connected();
             WireTestClient blue = broker.connected()) {
            red.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            red.openConsumer(1, 1, ORDERS, 100, 0, "color = 'red'");
            blue.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            blue.openConsumer(1, 1, ORDERS, 100, 0, "color = 'blue' AND weight > 2");
            producer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            for (int i = 0; i < 6; i++) {
                String color = i % 2 == 0 ? "red" : "blue";
                producer.sendMessage(1, message(ORDERS, color + i, Map.of("color", color, "weight", 3)));
            }
            producer.sendMessage(1, message(ORDERS, "light-blue", Map.of("color", "blue", "weight", 1)));

            assertThat(texts(red, 3)).containsExactly("red0", "red2", "red4");
            assertThat(texts(blue, 3)).containsExactly("blue1", "blue3", "blue5");
            red.expectNothing(QUIET);
            blue.expectNothing(Duration.ofMillis(50));
            assertThat(broker.get().queueStats("orders").orElseThrow().pending()).as("light-blue matches nobody")
                    .isEqualTo(1);
        }
    }

    @Test
    void aMessageNobodyMatchesStaysQueuedAndDoesNotBlockTheOnesBehindIt() {
        try (WireTestClient producer = broker.connected(); WireTestClient consumer = broker.connected()) {
            producer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            producer.sendMessage(1, message(ORDERS, "green", Map.of("color", "green")));
            producer.sendMessage(1, message(ORDERS, "red", Map.of("color", "red")));
            producer.sendMessage(1, message(ORDERS, "no-color", Map.of()));

            consumer.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            consumer.openConsumer(1, 1, ORDERS, 10, 0, "color = 'red'");
            Frame.Deliver red = consumer.expect(Frame.Deliver.class);
            assertThat(Messages.textOf(red.envelope())).isEqualTo("red");
            consumer.ack(1, AckKind.CONSUMED, red.deliveryId());
            consumer.expectNothing(QUIET);
            assertThat(broker.get().queueDepth("orders")).isEqualTo(2);

            consumer.openConsumer(2, 1, ORDERS, 10, 0, "color IS NULL OR color = 'green'");
            assertThat(texts(consumer, 2)).containsExactly("green", "no-color");
        }
    }

    @Test
    void consumersMatchingTheSameMessagesShareThemRoundRobin() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            client.openConsumer(1, 1, ORDERS, 100, 0, "n >= 0");
            client.openConsumer(2, 1, ORDERS, 100, 0, "n < 100");
            client.openConsumer(3, 1, ORDERS, 100, 0, "n > 1000");
            for (int i = 0; i < 6; i++) {
                client.sendMessage(1, message(ORDERS, "m" + i, Map.of("n", i)));
            }
            List<Frame.Deliver> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                got.add(client.expect(Frame.Deliver.class));
            }
            client.expectNothing(QUIET);
            assertThat(got).filteredOn(d -> d.consumerId() == 1).hasSize(3);
            assertThat(got).filteredOn(d -> d.consumerId() == 2).hasSize(3);
        }
    }

    @Test
    void aSelectiveConsumerTakesTheHighestPriorityMatchFirstAndSeesLaterHigherPriorityArrivals() {
        try (WireTestClient producer = broker.connected(); WireTestClient consumer = broker.connected()) {
            producer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            producer.sendMessage(1, Messages.to(ORDERS).priority(4).properties(Map.of("k", "skip")).text("skip"));
            producer.sendMessage(1, Messages.to(ORDERS).priority(4).properties(Map.of("k", "take")).text("low"));
            producer.sendMessage(1, Messages.to(ORDERS).priority(8).properties(Map.of("k", "take")).text("high"));
            consumer.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            consumer.openConsumer(1, 1, ORDERS, 2, 0, "k = 'take' AND JMSPriority >= 4");
            assertThat(texts(consumer, 2)).containsExactly("high", "low");
            consumer.expectNothing(QUIET);

            // The consumer has scanned past "skip"; a higher-priority arrival sorts before it and must still be found.
            producer.sendMessage(1, Messages.to(ORDERS).priority(9).properties(Map.of("k", "take")).text("urgent"));
            consumer.send(new Frame.Credit(1, 1));
            assertThat(texts(consumer, 1)).containsExactly("urgent");
        }
    }

    @Test
    void headerFieldsSelectWithoutProperties() {
        try (WireTestClient producer = broker.connected(); WireTestClient consumer = broker.connected()) {
            consumer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            consumer.openConsumer(1, 1, ORDERS, 10, 0, "JMSDeliveryMode = 'PERSISTENT' AND JMSPriority > 5");
            producer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            producer.sendMessage(1, Messages.to(ORDERS).persistent(true).priority(4).text("persistent-low"));
            producer.sendMessage(1, Messages.to(ORDERS).persistent(false).priority(9).text("fast-high"));
            producer.sendMessage(1, Messages.to(ORDERS).persistent(true).priority(7).text("persistent-high"));
            assertThat(texts(consumer, 1)).containsExactly("persistent-high");
            consumer.expectNothing(QUIET);
        }
    }

    @Test
    void aSelectorOnJmsxDeliveryCountSeesTheCountOfTheNextDelivery() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            client.openConsumer(1, 1, ORDERS, 10, 0, "JMSXDeliveryCount > 1");
            client.sendMessage(1, message(ORDERS, "once", Map.of()));
            client.expectNothing(QUIET);
            client.openConsumer(2, 1, ORDERS, 10, 0, "JMSXDeliveryCount = 1");
            Frame.Deliver first = client.expect(Frame.Deliver.class);
            assertThat(first.consumerId()).isEqualTo(2);
            client.ack(1, AckKind.REDELIVER, first.deliveryId());
            Frame.Deliver again = client.expect(Frame.Deliver.class);
            assertThat(again.consumerId()).isEqualTo(1);
            assertThat(again.deliveryCount()).isEqualTo(2);
        }
    }

    @Test
    void topicSubscriptionsReceiveOnlyTheMessagesTheirSelectorsMatch() {
        try (WireTestClient publisher = broker.connected(); WireTestClient a = broker.connected();
             WireTestClient b = broker.vmClient()) {
            b.hello();
            a.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            a.openConsumer(1, 1, NEWS, 10, 0, "region IN ('EU', 'UK')");
            b.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            b.openConsumer(1, 1, NEWS, 10, 0, "region NOT IN ('EU') AND title LIKE 'Breaking%'");
            publisher.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            publisher.sendMessage(1, message(NEWS, "eu", Map.of("region", "EU", "title", "Breaking: EU")));
            publisher.sendMessage(1, message(NEWS, "uk", Map.of("region", "UK", "title", "Breaking: UK")));
            publisher.sendMessage(1, message(NEWS, "us", Map.of("region", "US", "title", "Weather")));
            publisher.sendMessage(1, message(NEWS, "none", Map.of()));

            assertThat(texts(a, 2)).containsExactly("eu", "uk");
            assertThat(texts(b, 1)).containsExactly("uk");
            a.expectNothing(QUIET);
            b.expectNothing(Duration.ofMillis(50));
            assertThat(broker.get().topicStats("news").orElseThrow().pending())
                    .as("non-matching messages never enter a subscription").isZero();
        }
    }

    @Test
    void anInvalidSelectorIsRefusedWithInvalidSelectorAndOpensNoConsumer() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            int corr = client.nextCorrelationId();
            client.send(new Frame.ConsumerOpen(corr, 1, 1, ORDERS, "color = 'red' AND", 0, null, 10));
            Frame.Error error = client.expectError(corr);
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_SELECTOR);
            assertThat(error.message()).contains("position 18").contains("color = 'red' AND");

            client.sendMessage(1, message(ORDERS, "red", Map.of("color", "red")));
            client.expectNothing(QUIET);
            assertThat(broker.get().queueStats("orders").orElseThrow().consumers()).isZero();
            client.openConsumer(1, 1, ORDERS, 10, 0, "   ");
            assertThat(texts(client, 1)).as("a blank selector selects everything").containsExactly("red");
        }
    }

    @Test
    void aMessageWithMalformedPropertiesMatchesNoSelectorButStillReachesPlainConsumers() {
        byte[] bad = message(ORDERS, "bad", Map.of("zz", "value"));
        corruptTagOf("zz", bad);
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 1, ORDERS, 10, 0, "zz = 'value' OR zz IS NULL");
            client.openConsumer(2, 1, ORDERS, 10, 0, "JMSPriority = 4");
            client.sendMessage(1, bad);
            client.sendMessage(1, Messages.to(ORDERS).priority(5).properties(Map.of("zz", "value")).text("good"));
            Frame.Deliver byHeader = client.expect(Frame.Deliver.class);
            Frame.Deliver byProperty = client.expect(Frame.Deliver.class);
            assertThat(List.of(byHeader, byProperty))
                    .extracting(d -> d.consumerId() + ":" + Messages.textOf(d.envelope()))
                    .containsExactlyInAnyOrder("2:bad", "1:good");
            client.expectNothing(QUIET);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void aTopicMessageWithMalformedPropertiesIsSkippedBySelectiveSubscriptions() {
        byte[] bad = message(NEWS, "bad", Map.of("zz", "value"));
        corruptTagOf("zz", bad);
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 1, NEWS, 10, 0, "zz IS NOT NULL");
            client.openConsumer(2, 1, NEWS, 10);
            client.sendMessage(1, bad);
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            assertThat(d.consumerId()).isEqualTo(2);
            client.expectNothing(QUIET);
            assertThat(client.isOpen()).isTrue();
        }
    }

    /** Replaces the type tag of property {@code name} with one no reader knows. */
    private static void corruptTagOf(String name, byte[] envelope) {
        byte[] needle = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length < envelope.length; i++) {
            boolean found = true;
            for (int j = 0; j < needle.length && found; j++) {
                found = envelope[i + j] == needle[j];
            }
            if (found) {
                envelope[i + needle.length] = 99;
                return;
            }
        }
        throw new AssertionError("property " + name + " not found in the envelope");
    }
}
