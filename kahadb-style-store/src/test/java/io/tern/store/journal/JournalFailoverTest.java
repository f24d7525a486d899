package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shared-store failover with the journal: broker A on a data directory is halted (its connections cut with no
 * goodbye, as in a crash) while a producer sends persistent messages synchronously and a consumer takes them;
 * broker B then starts on the same directory at another port. The clients, on
 * {@code failover:(tcp://A,tcp://B)}, carry on: every message sent arrives, and a message that arrives twice is
 * flagged JMSRedelivered the second time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalFailoverTest {
    private static final int MESSAGES = 300;

    @TempDir
    Path dir;

    private Broker broker(String name, int port) {
        Broker b = new Broker(ConfigLoader.fromOptions(Map.of("store", "journal"), "test",
                BrokerConfig.builder().name(name).host("127.0.0.1").port(port).dataDir(dir)));
        b.start();
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.SESSION_TRANSACTED})
    void producerAndConsumerCarryOnToTheStandbyWithNothingLostAndNoUnflaggedDuplicate(int mode) throws Exception {
        int portA = freePort();
        int portB = freePort();
        String url = "failover:(tcp://127.0.0.1:" + portA + ",tcp://127.0.0.1:" + portB
                + ")?initialReconnectDelay=10&maxReconnectDelay=200";
        Broker a = broker("a", portA);
        Broker b = null;
        try (Connection producing = new TernConnectionFactory(url).createConnection();
             Connection consuming = new TernConnectionFactory(url + "&prefetch=20").createConnection()) {
            consuming.start();
            Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(ps.createQueue("work"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Session cs = consuming.createSession(mode == Session.SESSION_TRANSACTED, mode);
            MessageConsumer consumer = cs.createConsumer(cs.createQueue("work"));

            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> producing1 = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        Message m = ps.createTextMessage("m" + i);
                        m.setIntProperty("n", i);
                        producer.send(m);
                        sent.incrementAndGet();
                    }
                } catch (JMSException e) {
                    throw new IllegalStateException("the producer failed after " + sent.get() + " sends", e);
                }
            });
            Receiver receiver = new Receiver(cs, consumer, mode);
            CompletableFuture<Void> consumingAll = CompletableFuture.runAsync(receiver);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.settledCount() >= MESSAGES / 3 || consumingAll.isDone());
            a.halt();
            b = broker("b", portB);

            producing1.get(60, TimeUnit.SECONDS);
            try {
                consumingAll.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                java.util.Set<Integer> missing = new java.util.TreeSet<>();
                for (int i = 0; i < MESSAGES; i++) {
                    missing.add(i);
                }
                synchronized (receiver) {
                    missing.removeAll(receiver.settled.keySet());
                    missing.removeAll(receiver.inDoubt);
                }
                throw new AssertionError("the consumer did not settle every message; missing " + missing
                        + ", in doubt " + receiver.inDoubt + ", queue depth " + b.queueDepth("work"), e);
            }
            assertThat(sent.get()).isEqualTo(MESSAGES);
            // a copy the new broker sent again (its first acknowledgement died with the old broker) may still come
            Message extra;
            while ((extra = consumer.receive(1000)) != null) {
                assertThat(extra.getJMSRedelivered()).as("a copy of m%d after every message was settled",
                        extra.getIntProperty("n")).isTrue();
                if (mode == Session.CLIENT_ACKNOWLEDGE) {
                    extra.acknowledge();
                }
            }
            if (mode == Session.SESSION_TRANSACTED) {
                cs.commit();
            }
            for (int i = 0; i < MESSAGES; i++) {
                List<Boolean> copies = receiver.settled.get(i);
                if (copies == null && receiver.inDoubt.contains(i)) {
                    continue; // committed on the lost broker just before it went: not lost, not delivered again
                }
                assertThat(copies).as("message m%d (settled: %s)", i, receiver.settled.keySet()).isNotNull();
                for (int copy = 1; copy < copies.size(); copy++) {
                    assertThat(copies.get(copy)).as("copy %d of m%d is flagged JMSRedelivered", copy + 1, i).isTrue();
                }
            }
            Broker standby = b;
            await().atMost(Duration.ofSeconds(30)).until(() -> standby.queueDepth("work") == 0);
        } finally {
            a.stop();
            if (b != null) {
                b.stop();
            }
        }
    }

    /** Takes messages until it has settled every one: acknowledged, or committed in a transaction. */
    private static final class Receiver implements Runnable {
        private final Session session;
        private final MessageConsumer consumer;
        private final int mode;
        /** For each message number, the JMSRedelivered flag of each copy the application settled. */
        final Map<Integer, List<Boolean>> settled = new TreeMap<>();

        Receiver(Session session, MessageConsumer consumer, int mode) {
            this.session = session;
            this.consumer = consumer;
            this.mode = mode;
        }

        /** Messages of a commit whose outcome the client could not know. */
        final java.util.Set<Integer> inDoubt = new java.util.TreeSet<>();

        synchronized int settledCount() {
            java.util.Set<Integer> all = new java.util.HashSet<>(settled.keySet());
            all.addAll(inDoubt);
            return all.size();
        }

        private synchronized void doubt(List<Message> messages) throws JMSException {
            for (Message m : messages) {
                inDoubt.add(m.getIntProperty("n"));
            }
        }

        @Override
        public void run() {
            List<Message> transaction = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            try {
                while (settledCount() < MESSAGES && System.nanoTime() < deadline) {
                    Message m = consumer.receive(500);
                    if (m != null) {
                        if (mode == Session.CLIENT_ACKNOWLEDGE) {
                            m.acknowledge();
                        }
                        transaction.add(m);
                    }
                    if (mode != Session.SESSION_TRANSACTED || transaction.size() >= 5
                            || (m == null && !transaction.isEmpty())) {
                        if (mode == Session.SESSION_TRANSACTED) {
                            try {
                                session.commit();
                            } catch (TransactionRolledBackException rolledBack) {
                                if (rolledBack.getMessage().contains("outcome is unknown")) {
                                    // the answer to the commit was lost: the broker may have committed it
                                    doubt(transaction);
                                }
                                transaction.clear(); // the messages come again, unless committed after all
                                continue;
                            }
                        }
                        record(transaction);
                        transaction.clear();
                    }
                }
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        }

        private synchronized void record(List<Message> messages) throws JMSException {
            for (Message m : messages) {
                settled.computeIfAbsent(m.getIntProperty("n"), k -> new ArrayList<>()).add(m.getJMSRedelivered());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
