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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two broker JVMs on one shared store: A active, B a standby. A is killed with SIGKILL while a producer sends
 * persistent messages synchronously and a consumer receives them, both through the client's failover transport
 * ({@code failover:(tcp://A,tcp://B)}). B becomes active within the store's take-over time and the clients carry on
 * without seeing any exception: every send returns, every message whose send returned is received, a send whose
 * answer died with A is re-sent and stored once, and a message received twice is flagged JMSRedelivered the second
 * time. Written once, run by each store module that can be shared.
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

    /** The one URL both clients use: the failover transport over both brokers, retrying every 50 to 500 ms. */
    static String url(int portA, int portB) {
        return "failover:(tcp://127.0.0.1:" + portA + "?heartbeat=1000,tcp://127.0.0.1:" + portB
                + "?heartbeat=1000)?initialReconnectDelay=50&maxReconnectDelay=500";
    }

    /** What the clients saw. */
    private static final class Record {
        final Set<Integer> sent = ConcurrentHashMap.newKeySet();
        final Set<Integer> received = ConcurrentHashMap.newKeySet();
        final List<String> unflaggedDuplicates = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicBoolean stopProducing = new AtomicBoolean();
        final AtomicBoolean stopConsuming = new AtomicBoolean();
        volatile int sentAfterKill;
        volatile boolean killed;
    }

    @Test
    void theStandbyTakesOverWhenTheActiveBrokerIsKilledAndTheClientsCarryOn() throws Exception {
        Path shared = work.resolve("shared");
        List<String> settings = new ArrayList<>(storeSettings());
        settings.add("-Dtern.ha.poll-ms=100");
        ForkedBroker a = ForkedBroker.launch("a", ForkedBroker.freePort(), shared, work.resolve("a.log"), settings)
                .awaitReady(Duration.ofSeconds(60));
        ForkedBroker b = ForkedBroker.launch("b", ForkedBroker.freePort(), shared, work.resolve("b.log"), settings)
                .awaitStandby(Duration.ofSeconds(60));
        TernConnectionFactory factory = new TernConnectionFactory(url(a.port(), b.port()));
        Record record = new Record();
        Thread producer = new Thread(() -> produce(factory, record), "failover-producer");
        Thread consumer = new Thread(() -> consume(factory, record), "failover-consumer");
        try {
            producer.start();
            consumer.start();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> record.sent.size() >= 100 && record.received.size() >= 20 || !record.errors.isEmpty());
            assertThat(record.errors).as("what the clients saw before the kill").isEmpty();
            assertThat(b.isReady()).as("the standby while A is active").isFalse();

            long killedAt = System.nanoTime();
            record.killed = true;
            a.kill();
            b.awaitReady(takeOverWithin().plusSeconds(30));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.println("the standby was ready " + tookMillis + " ms after the active broker was killed");
            assertThat(tookMillis).as("ms from the kill until the standby was ready")
                    .isLessThan(takeOverWithin().toMillis());

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> record.sentAfterKill >= 100 || !record.errors.isEmpty());
            record.stopProducing.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(30));
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> record.received.containsAll(record.sent) || !record.errors.isEmpty());
        } finally {
            record.stopProducing.set(true);
            record.stopConsuming.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(30));
            consumer.join(TimeUnit.SECONDS.toMillis(30));
            a.kill();
            b.stop();
        }
        assertThat(record.errors).as("exceptions the application saw: failover should hide the kill").isEmpty();
        assertThat(record.unflaggedDuplicates).as("messages received twice without JMSRedelivered").isEmpty();
        Set<Integer> lost = new TreeSet<>(record.sent);
        lost.removeAll(record.received);
        assertThat(lost).as("sends that returned but were never received").isEmpty();
        System.out.println("failover: " + record.sent.size() + " sends returned (" + record.sentAfterKill
                + " after the kill), all received");
    }

    /** Sends persistent messages numbered 0, 1, 2… on one connection; every send must return. */
    private static void produce(TernConnectionFactory factory, Record record) {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int seq = 0; !record.stopProducing.get(); seq++) {
                Message m = s.createMessage();
                m.setIntProperty("seq", seq);
                p.send(m);
                record.sent.add(seq);
                if (record.killed) {
                    record.sentAfterKill++;
                }
            }
        } catch (JMSException | RuntimeException e) {
            record.errors.add(e);
        }
    }

    /** Receives on one connection, noting each message and any copy that comes again unflagged. */
    private static void consume(TernConnectionFactory factory, Record record) {
        try (Connection c = factory.createConnection()) {
            c.setExceptionListener(record.errors::add);
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
        } catch (JMSException | RuntimeException e) {
            record.errors.add(e);
        }
    }
}
