package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.ForkedBroker;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default JDBC store, embedded H2, in a broker JVM killed with SIGKILL right after sends returned: after a
 * restart every persistent message whose send returned is there. (H2 writes a commit to its file in the background,
 * half a second later by default; the store turns that delay off, or this test loses the last sends.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class H2KillNineTest {
    /** A short lease: the restarted broker waits for the killed one's lease to run out before it is active. */
    private static final List<String> SETTINGS = List.of("-Dtern.store=jdbc", "-Dtern.jdbc.pool-size=3",
            "-Dtern.jdbc.lease-ms=1500", "-Dtern.jdbc.lease-renew-ms=500", "-Dtern.ha.poll-ms=100");

    @TempDir
    Path work;

    @Test
    void everyReturnedSendSurvivesSigkill() throws Exception {
        Path data = work.resolve("data");
        for (int c = 0; c < 2; c++) {
            int cycle = c;
            Set<Integer> returned = new ConcurrentSkipListSet<>();
            ForkedBroker broker = ForkedBroker.launch("h2", ForkedBroker.freePort(), data,
                    work.resolve("broker-" + cycle + ".log"), SETTINGS).awaitReady(Duration.ofSeconds(60));
            int port = broker.port();
            Thread producer = new Thread(() -> produce(port, cycle, returned), "h2-producer");
            try {
                producer.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> returned.size() >= 100 + cycle * 70);
                broker.kill();
                producer.join(TimeUnit.SECONDS.toMillis(30));
            } finally {
                broker.kill();
            }
            ForkedBroker restarted = ForkedBroker.launch("h2", ForkedBroker.freePort(), data,
                    work.resolve("broker-" + cycle + "-restart.log"), SETTINGS).awaitReady(Duration.ofSeconds(60));
            try {
                Set<Integer> found = drain(restarted.port(), cycle);
                Set<Integer> lost = new TreeSet<>(returned);
                lost.removeAll(found);
                assertThat(lost).as("cycle %d: sends that returned before the kill, missing after the restart (of %d)",
                        cycle, returned.size()).isEmpty();
            } finally {
                restarted.stop();
            }
        }
    }

    private static void produce(int port, int cycle, Set<Integer> returned) {
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port + "?requestTimeout=5000")
                .createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("h2-crash"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int seq = 0; ; seq++) {
                Message m = s.createMessage();
                m.setIntProperty("cycle", cycle);
                m.setIntProperty("seq", seq);
                p.send(m);
                returned.add(seq);
            }
        } catch (JMSException killed) {
            // the broker was killed under the send: that send did not return
        }
    }

    private static Set<Integer> drain(int port, int cycle) throws JMSException {
        Set<Integer> found = new TreeSet<>();
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("h2-crash"));
            Message m;
            while ((m = consumer.receive(2000)) != null) {
                if (m.getIntProperty("cycle") == cycle) {
                    found.add(m.getIntProperty("seq"));
                }
            }
        }
        return found;
    }
}
