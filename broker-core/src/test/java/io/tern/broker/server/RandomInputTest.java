package io.tern.broker.server;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.DestinationKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many connections send random bytes or randomly mutated valid frames; after each batch a well-behaved client
 * still gets end-to-end service. The seed is printed; rerun a failure with {@code -Dtern.fuzz.seed=N}.
 */
@Timeout(60)
class RandomInputTest {
    private static final int CONNECTIONS = 120;
    private static final Duration LINGER = Duration.ofMillis(100);
    private static final WireDestination Q = WireDestination.queue("fuzz");
    private static final WireDestination CHECK = WireDestination.queue("check");

    private int checks;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void brokerSurvivesRandomInput() {
        long seed = Long.getLong("tern.fuzz.seed", System.nanoTime());
        System.out.println("RandomInputTest seed: " + seed + " (rerun with -Dtern.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<byte[]> valid = validFrames();
        for (int i = 0; i < CONNECTIONS; i++) {
            try (WireTestClient client = random.nextBoolean() ? broker.tcpClient() : broker.vmClient()) {
                if (random.nextBoolean()) {
                    client.hello();
                }
                for (int n = 1 + random.nextInt(3); n > 0 && client.isOpen(); n--) {
                    client.sendRaw(random.nextInt(4) == 0 ? randomBytes(random)
                            : mutate(valid.get(random.nextInt(valid.size())), random));
                }
                client.awaitClosed(LINGER);
            }
            if (i % 20 == 19) {
                wellBehavedClientIsServed();
            }
        }
        wellBehavedClientIsServed();
    }

    private void wellBehavedClientIsServed() {
        try (WireTestClient client = checks++ % 2 == 0 ? broker.tcpClient() : broker.vmClient()) {
            client.hello();
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            EndToEnd.check(client, 1, CHECK);
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        byte[] copy = frame.clone();
        switch (random.nextInt(4)) {
            case 0 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            case 1 -> {
                for (int k = 0; k < 4; k++) {
                    copy[4 + random.nextInt(copy.length - 4)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> {
                return java.util.Arrays.copyOf(copy, 4 + random.nextInt(copy.length - 4));
            }
            default -> {
                byte[] longer = java.util.Arrays.copyOf(copy, copy.length + 1 + random.nextInt(8));
                java.nio.ByteBuffer.wrap(longer).putInt(0, longer.length - 4 - random.nextInt(2));
                return longer;
            }
        }
        return copy;
    }

    private static List<byte[]> validFrames() {
        byte[] envelope = Messages.to(Q).persistent(true).text("fuzz");
        WireDestination temp = new WireDestination(DestinationKind.TEMPORARY_TOPIC, "tmp");
        return List.of(
                WireTestClient.encode(new Frame.Hello(1, 1, "fuzzer", "u", "p", 4096, 0)),
                WireTestClient.encode(new Frame.SessionOpen(2, 1, SessionMode.TRANSACTED)),
                WireTestClient.encode(new Frame.SessionClose(3, 1, new long[] {1, 2})),
                WireTestClient.encode(new Frame.ConsumerOpen(4, 1, 1, Q, null, 0, null, 10)),
                WireTestClient.encode(new Frame.ConsumerOpen(5, 2, 1, temp, null, 1, "s", 1)),
                WireTestClient.encode(new Frame.ConsumerOpen(13, 3, 1, Q, "a > 1", Frame.ConsumerOpen.BROWSER, null, 2)),
                WireTestClient.encode(new Frame.ConsumerOpen(14, 4, 1, WireDestination.topic("t"), null,
                        Frame.ConsumerOpen.DURABLE | Frame.ConsumerOpen.SHARED, "d", 2)),
                WireTestClient.encode(new Frame.Unsubscribe(15, "d")),
                WireTestClient.encode(new Frame.BrowseEnd(3)),
                WireTestClient.encode(new Frame.ConsumerClose(6, 1, new long[] {3})),
                WireTestClient.encode(new Frame.Credit(1, 5)),
                WireTestClient.encode(new Frame.TempCreate(9, temp)),
                WireTestClient.encode(new Frame.TempDelete(10, temp)),
                WireTestClient.encode(new Frame.Send(7, 1, envelope)),
                WireTestClient.encode(new Frame.Ack(8, 1, AckKind.CONSUMED, new long[] {1})),
                WireTestClient.encode(new Frame.TxCommit(9, 1)),
                WireTestClient.encode(new Frame.TxRollback(10, 1)),
                WireTestClient.encode(new Frame.SetClientId(11, "x")),
                WireTestClient.encode(new Frame.Close(12)));
    }
}
