package io.tern.broker.store;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two broker JVMs on one shared store: A active, B a standby. A is killed with SIGKILL while a producer sends
 * persistent messages synchronously and a consumer receives them; B becomes active within the store's take-over
 * time, the clients move to it, every message whose send returned is received, and a message received twice is
 * flagged JMSRedelivered the second time. Written once, run by each store module that can be shared.
 *
 * <p>The clients reconnect by hand, trying each broker's URL in turn ({@link #urls}); with the client's failover
 * transport, {@code urls} becomes the one URL {@code failover:(tcp://…,tcp://…)} and nothing else changes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
public abstract class SharedStoreFailoverContractTest {
    private static final String QUEUE = "failover";

    @TempDir
    protected Path work;

    /** The settings, as system properties, that make both brokers share one store (their data-dir is shared). */
    protected abstract List<String> storeSettings();

    /** The longest a standby may take to become active after the active broker died (lease or lock, plus start). */
    protected abstract Duration takeOverWithin();

    /** The URLs the clients try, in turn. With the failover transport: one {@code failover:(…)} URL. */
    static List<String> urls(int portA, int portB) {
        String options = "?heartbeat=1000&requestTimeout=5000";
        return List.of("tcp://127.0.0.1:" + portA + options, "tcp://127.0.0.1:" + portB + options);
    }

    /** What the clients saw. */
    private static final class Record {
        final Set<Integer> sent = ConcurrentHashMap.newKeySet();
        final Set<Integer> received = ConcurrentHashMap.newKeySet();
        final List<String> unflaggedDuplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean stopProducing = new AtomicBoolean();
        final AtomicBoolean stopConsuming = new AtomicBoolean();
        volatile int sentAfterKill;
        volatile boolean killed;
    }

    @Test
    void theStandbyTakesOverWhenTheActiveBrokerIsKilled() throws Exception {
        Path shared = work.resolve("shared");
        List<String> settings = new ArrayList<>(storeSettings());
        settings.add("-Dtern.ha.poll-ms=100");
        ForkedBroker a = ForkedBroker.launch("a", ForkedBroker.freePort(), shared, work.resolve("a.log"), settings)
                .awaitReady(Duration.ofSeconds(60));
        ForkedBroker b = ForkedBroker.launch("b", ForkedBroker.freePort(), shared, work.resolve("b.log"), settings)
                .awaitStandby(Duration.ofSeconds(60));
        List<String> urls = urls(a.port(), b.port());
        Record record = new Record();
        Thread producer = new Thread(() -> produce(urls, record), "failover-producer");
        Thread consumer = new Thread(() -> consume(urls, record), "failover-consumer");
        try {
            producer.start();
            consumer.start();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> record.sent.size() >= 100 && record.received.size() >= 20);
            assertThat(b.isReady()).as("the standby while A is active").isFalse();

            long killedAt = System.nanoTime();
            record.killed = true;
            a.kill();
            b.awaitReady(takeOverWithin().plusSeconds(30));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("the standby was ready " + tookMillis + " ms after the active broker was killed");
            assertThat(tookMillis).as("ms from the kill until the standby was ready")
                    .isLessThan(takeOverWithin().toMillis());

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> record.sentAfterKill >= 100);
            record.stopProducing.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(30));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> record.received.containsAll(record.sent));
        } finally {
            record.stopProducing.set(true);
            record.stopConsuming.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(30));
            consumer.join(TimeUnit.SECONDS.toMillis(30));
            a.kill();
            b.stop();
        }
        assertThat(record.unflaggedDuplicates).as("messages received twice without JMSRedelivered").isEmpty();
        Set<Integer> lost = new java.util.TreeSet<>(record.sent);
        lost.removeAll(record.received);
        assertThat(lost).as("sends that returned but were never received").isEmpty();
        System.out.println("failover: " + record.sent.size() + " sends returned (" + record.sentAfterKill
                + " after the kill), all received");
    }

    /**
     * Sends persistent messages numbered 0, 1, 2… A send that fails is in doubt (it may or may not have been
     * stored) and is not sent again, so a duplicate can only be a redelivery.
     */
    private static void produce(List<String> urls, Record record) {
        int seq = 0;
        while (!record.stopProducing.get()) {
            try (Connection c = connect(urls, record.stopProducing)) {
                if (c == null) {
                    return;
                }
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue(QUEUE));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                while (!record.stopProducing.get()) {
                    Message m = s.createMessage();
                    m.setIntProperty("seq", seq);
                    int sending = seq++;
                    p.send(m);
                    record.sent.add(sending);
                    if (record.killed) {
                        record.sentAfterKill++;
                    }
                }
            } catch (JMSException brokerGone) {
                // the send under way is in doubt; carry on with the next number on the other broker
            }
        }
    }

    private static void consume(List<String> urls, Record record) {
        while (!record.stopConsuming.get()) {
            try (Connection c = connect(urls, record.stopConsuming)) {
                if (c == null) {
                    return;
                }
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
                while (!record.stopConsuming.get()) {
                    Message m = consumer.receive(100);
                    if (m == null) {
                        continue;
                    }
                    int seq = m.getIntProperty("seq");
                    if (!record.received.add(seq) && !m.getJMSRedelivered()) {
                        record.unflaggedDuplicates.add("message " + seq);
                    }
                }
            } catch (JMSException brokerGone) {
                // reconnect to whichever broker is active
            }
        }
    }

    /** A connection to the first URL that answers, trying them in turn until {@code stop}; null when stopped. */
    private static Connection connect(List<String> urls, AtomicBoolean stop) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!stop.get() && System.nanoTime() - giveUp < 0) {
            for (String url : urls) {
                try {
                    return new TernConnectionFactory(url).createConnection();
                } catch (JMSException notThere) {
                    // not listening (dead, or a standby): try the next
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return null;
    }
}
