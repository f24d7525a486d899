package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over TCP the client writes a frame straight to the socket from the sending thread while nothing is queued on its
 * event loop, and hands the rest of a partial write, with every frame after it, to the loop; the broker does the same
 * with answers completed off its event loops (a persistent send's, by the journal's threads). Messages far larger than
 * the socket's buffer force partial writes; several threads sending on one connection at once make the two paths
 * meet, and a consumer on that same connection has the broker's large deliveries meet its direct answers. Every
 * message must arrive whole and in each producer's order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectWriteTest {
    private static final int PRODUCERS = 3;
    private static final int PER_PRODUCER = 60;

    @TempDir
    Path dataDir;

    /** Message n of producer p: every fourth is 8 MiB, the others a few bytes; the content depends on p and n. */
    private static byte[] body(int producer, int n) {
        byte[] b = new byte[n % 4 == 0 ? 8 * 1024 * 1024 : 16 + n];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (producer * 31 + n * 7 + i);
        }
        return b;
    }

    @Test
    void largeAndSmallFramesFromSeveralThreadsOnOneConnectionArriveWholeAndInOrder() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection sending = broker.factory("tcp", "").createConnection();
             Connection receiving = broker.factory("tcp", "").createConnection()) {
            sendAndReceive(sending, receiving, false);
        }
    }

    @Test
    void theBrokersAnswersAndLargeDeliveriesOnOneConnectionArriveWholeAndInOrder() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection both = broker.factory("tcp", "").createConnection()) {
            sendAndReceive(both, both, true);
        }
    }

    /** @param transacted producers commit each message: the broker answers a commit off its event loops */
    private static void sendAndReceive(Connection sending, Connection receiving, boolean transacted) throws Exception {
        List<CompletableFuture<Void>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            Session s = transacted ? sending.createSession(true, Session.SESSION_TRANSACTED)
                    : sending.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producers.add(CompletableFuture.runAsync(() -> send(s, producer)));
        }
        receiving.start();
        Session r = receiving.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = r.createConsumer(r.createQueue("mixed"));
        Map<Integer, Integer> next = new HashMap<>();
        for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++) {
            BytesMessage m = (BytesMessage) consumer.receive(30_000);
            assertThat(m).as("message %d of %d", i + 1, PRODUCERS * PER_PRODUCER).isNotNull();
            int producer = m.getIntProperty("producer");
            int n = m.getIntProperty("n");
            assertThat(n).as("producer %d's order", producer).isEqualTo(next.getOrDefault(producer, 0));
            next.put(producer, n + 1);
            byte[] got = new byte[(int) m.getBodyLength()];
            m.readBytes(got);
            assertThat(Arrays.equals(got, body(producer, n))).as("body of message %d of producer %d", n,
                    producer).isTrue();
        }
        CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private static void send(Session s, int producer) {
        try {
            Queue q = s.createQueue("mixed");
            MessageProducer p = s.createProducer(q);
            for (int n = 0; n < PER_PRODUCER; n++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body(producer, n));
                m.setIntProperty("producer", producer);
                m.setIntProperty("n", n);
                // half non-persistent (unanswered): those pile up on the socket, the case partial writes need
                p.send(m, n % 2 == 0 ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT, 4, 0);
                if (s.getTransacted()) {
                    s.commit();
                }
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
