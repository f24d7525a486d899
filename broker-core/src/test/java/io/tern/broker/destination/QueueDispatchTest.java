package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class QueueDispatchTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");
    private static final Duration QUIET = Duration.ofMillis(300);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void sentMessageIsDeliveredWithItsBytesAndCountOne() {
        try (WireTestClient producer = broker.connected(); WireTestClient consumer = broker.vmClient()) {
            producer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            byte[] envelope = Messages.to(ORDERS).persistent(true).text("hello");
            producer.sendMessage(1, envelope);
            assertThat(broker.get().queueDepth("orders")).isEqualTo(1);

            consumer.hello();
            consumer.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            consumer.openConsumer(10, 1, ORDERS, 5);
            Frame.Deliver d = consumer.expect(Frame.Deliver.class);
            assertThat(d.consumerId()).isEqualTo(10);
            assertThat(d.deliveryCount()).isEqualTo(1);
            assertThat(d.envelope()).isEqualTo(envelope);

            consumer.ack(1, AckKind.CONSUMED, d.deliveryId());
            assertThat(broker.get().queueDepth("orders")).isZero();
            assertThat(broker.get().queueStats("orders").orElseThrow().consumed()).isEqualTo(1);
        }
    }

    @Test
    void sendWithoutCorrelationIdGetsNoAnswer() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.send(new Frame.Send(0, 1, Messages.to(ORDERS).text("quiet")));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> broker.get().queueDepth("orders") == 1);
            client.expectNothing(QUIET);
        }
    }

    @Test
    void competingConsumersShareMessagesAndRespectCredit() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.CLIENT_ACKNOWLEDGE);
            for (int i = 0; i < 4; i++) {
                client.sendMessage(1, Messages.to(ORDERS).text("m" + i));
            }
            client.openConsumer(1, 1, ORDERS, 1);
            client.openConsumer(2, 1, ORDERS, 1);
            List<Frame.Deliver> first = List.of(client.expect(Frame.Deliver.class), client.expect(Frame.Deliver.class));
            client.expectNothing(QUIET);
            assertThat(first).extracting(Frame.Deliver::consumerId).containsExactlyInAnyOrder(1L, 2L);
            assertThat(first).extracting(d -> Messages.textOf(d.envelope())).containsExactlyInAnyOrder("m0", "m1");

            client.send(new Frame.Credit(1, 1));
            Frame.Deliver third = client.expect(Frame.Deliver.class);
            assertThat(third.consumerId()).isEqualTo(1);
            assertThat(Messages.textOf(third.envelope())).isEqualTo("m2");
            assertThat(third.deliveryId()).isGreaterThan(Math.max(first.get(0).deliveryId(), first.get(1).deliveryId()));
            client.expectNothing(QUIET);
        }
    }

    @Test
    void roundRobinAcrossConsumersWithCredit() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 1, ORDERS, 100);
            client.openConsumer(2, 1, ORDERS, 100);
            for (int i = 0; i < 10; i++) {
                client.sendMessage(1, Messages.to(ORDERS).text("m" + i));
            }
            List<Long> consumers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                consumers.add(client.expect(Frame.Deliver.class).consumerId());
            }
            assertThat(consumers).filteredOn(c -> c == 1L).hasSize(5);
            assertThat(consumers).filteredOn(c -> c == 2L).hasSize(5);
        }
    }

    @Test
    void higherPriorityFirstThenArrivalOrder() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.sendMessage(1, Messages.to(ORDERS).priority(1).text("low-1"));
            client.sendMessage(1, Messages.to(ORDERS).priority(9).text("high-1"));
            client.sendMessage(1, Messages.to(ORDERS).priority(1).text("low-2"));
            client.sendMessage(1, Messages.to(ORDERS).priority(9).text("high-2"));
            client.sendMessage(1, Messages.to(ORDERS).priority(4).text("normal"));
            client.openConsumer(1, 1, ORDERS, 10);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                texts.add(Messages.textOf(client.expect(Frame.Deliver.class).envelope()));
            }
            assertThat(texts).containsExactly("high-1", "high-2", "normal", "low-1", "low-2");
        }
    }

    @Test
    void expiredMessageIsNeverDelivered() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.sendMessage(1, Messages.to(ORDERS).expiration(System.currentTimeMillis() - 1).text("stale"));
            long soon = System.currentTimeMillis() + 200;
            client.sendMessage(1, Messages.to(ORDERS).expiration(soon).text("soon"));
            client.sendMessage(1, Messages.to(ORDERS).text("fresh"));
            assertThat(broker.get().queueStats("orders").orElseThrow().expired()).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > soon);
            client.openConsumer(1, 1, ORDERS, 10);
            assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("fresh");
            client.expectNothing(QUIET);
            assertThat(broker.get().queueStats("orders").orElseThrow().expired()).isEqualTo(2);
        }
    }

    @Test
    void messageWithDeliveryTimeIsHeldUntilThen() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.openConsumer(1, 1, ORDERS, 10);
            long due = System.currentTimeMillis() + 400;
            client.sendMessage(1, Messages.to(ORDERS).deliveryTime(due).text("later"));
            assertThat(broker.get().queueStats("orders").orElseThrow().scheduled()).isEqualTo(1);
            Frame.Deliver d = client.expect(Frame.Deliver.class);
            assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due);
            assertThat(Messages.textOf(d.envelope())).isEqualTo("later");
        }
    }

    @Test
    void unknownSessionAndConsumerAreIllegalState() {
        try (WireTestClient client = broker.connected()) {
            client.send(new Frame.Send(1, 42, Messages.to(ORDERS).text("x")));
            assertThat(client.expectError(1).message()).contains("session 42");
            client.send(new Frame.ConsumerClose(2, 77, new long[0]));
            assertThat(client.expectError(2).message()).contains("consumer 77");
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.send(new Frame.TxCommit(3, 1));
            assertThat(client.expectError(3).message()).contains("not transacted");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void impossibleFlagCombinationsAreRefused() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.send(new Frame.ConsumerOpen(2, 2, 1, WireDestination.topic("t"), null,
                    Frame.ConsumerOpen.DURABLE, "sub", 10));
            Frame.Error durable = client.expectError(2);
            assertThat(durable.code()).isEqualTo(io.tern.jms.wire.ErrorCode.ILLEGAL_STATE);
            assertThat(durable.message()).contains("'sub'").contains("needs a client id");
            client.send(new Frame.ConsumerOpen(3, 3, 1, WireDestination.topic("t"), null,
                    Frame.ConsumerOpen.BROWSER, null, 10));
            assertThat(client.expectError(3).message()).contains("only a queue can be browsed");
            client.send(new Frame.ConsumerOpen(4, 4, 1, WireDestination.topic("t"), null,
                    Frame.ConsumerOpen.SHARED, null, 10));
            assertThat(client.expectError(4).message()).contains("needs a subscription name");
            client.send(new Frame.Unsubscribe(5, "nothing"));
            Frame.Error unknown = client.expectError(5);
            assertThat(unknown.code()).isEqualTo(io.tern.jms.wire.ErrorCode.INVALID_DESTINATION);
            assertThat(unknown.message()).contains("'nothing'");
            assertThat(client.isOpen()).isTrue();
        }
    }
}
