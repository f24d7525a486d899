package io.tern.store.journal.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker in a separate JVM, on the journal store, is killed with SIGKILL while four producers send persistent
 * messages synchronously and one consumer receives with CLIENT_ACKNOWLEDGE. After each restart every message whose
 * send returned is delivered (or was consumed before the kill), a message whose acknowledgement returned is not
 * delivered again, and a message received before the kill without a returned acknowledgement is delivered again,
 * flagged JMSRedelivered; nothing is delivered twice unless flagged. {@code -Dtern.crash.cycles=N} sets the number of cycles (10 by default; the
 * {@code crash-soak} profile runs 100). {@code -Dtern.crash.store=memory} shows the test failing on a store that
 * keeps nothing. The broker checkpoints every 100 ms ({@code -Dtern.crash.checkpoint-ms=N}), so restarts start from
 * checkpoints, some written while the kill came.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class KillNineTest {
    private static final int PRODUCERS = 4;
    private static final Pattern READY = Pattern.compile("ready on tcp://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path work;

    /**
     * What the consumer that runs through the kill saw: messages whose acknowledge() returned (the broker must not
     * deliver them again) and messages it received whose acknowledgement did not return before the kill (the broker
     * must deliver them again, flagged JMSRedelivered, because it cannot know whether the application acted on
     * them). Keys are producer * 2^32 + seq.
     */
    private static final class Seen {
        final java.util.Set<Long> confirmed = ConcurrentHashMap.newKeySet();
        final java.util.Set<Long> unconfirmed = ConcurrentHashMap.newKeySet();
        /** Received, and their acknowledge() was under way at the kill: consumed or not, the broker decided. */
        final java.util.Set<Long> ackInDoubt = ConcurrentHashMap.newKeySet();

        static long key(int producer, int seq) {
            return ((long) producer << 32) | seq;
        }
    }

    @Test
    void everyAcknowledgedSendSurvivesSigkill() throws Exception {
        int cycles = Integer.getInteger("tern.crash.cycles", 10);
        Path data = work.resolve("data");
        for (int cycle = 0; cycle < cycles; cycle++) {
            List<ConcurrentSkipListSet<Integer>> acked = new ArrayList<>();
            Seen seen = new Seen();
            ForkedBroker broker = ForkedBroker.start(data, work.resolve("broker-" + cycle + ".log"));
            try {
                acked = produceUntilKilled(broker, cycle, seen);
            } finally {
                broker.kill();
            }
            ForkedBroker restarted = ForkedBroker.start(data, work.resolve("broker-" + cycle + "-restart.log"));
            try {
                verifyAndDrain(restarted.port(), cycle, acked, seen);
            } finally {
                restarted.stop();
            }
        }
    }

    /** Four producers send until the broker is killed under them; returns, per producer, the sends that returned. */
    private static List<ConcurrentSkipListSet<Integer>> produceUntilKilled(ForkedBroker broker, int cycle, Seen seen)
            throws Exception {
        List<ConcurrentSkipListSet<Integer>> acked = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch sending = new CountDownLatch(PRODUCERS);
        for (int p = 0; p < PRODUCERS; p++) {
            ConcurrentSkipListSet<Integer> mine = new ConcurrentSkipListSet<>();
            acked.add(mine);
            int producer = p;
            Thread t = new Thread(() -> produce(broker.port(), cycle, producer, mine, sending, stop),
                    "crash-producer-" + p);
            threads.add(t);
            t.start();
        }
        Thread consumer = new Thread(() -> consume(broker.port(), cycle, seen, stop), "crash-consumer");
        threads.add(consumer);
        consumer.start();
        assertThat(sending.await(30, TimeUnit.SECONDS)).as("producers connected").isTrue();
        // every producer has had sends acknowledged (the broker is warm), then the kill comes at a varying moment
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> acked.stream().allMatch(a -> !a.isEmpty()));
        // the moment of the kill itself is the point here, not a condition: vary it from cycle to cycle
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50 + cycle * 37 % 300));
        broker.kill();
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        return acked;
    }

    private static void produce(int port, int cycle, int producer, ConcurrentSkipListSet<Integer> acked,
                                CountDownLatch sending, AtomicBoolean stop) {
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port + "?heartbeat=1000&requestTimeout=5000")
                .createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("crash"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            sending.countDown();
            for (int seq = 0; !stop.get(); seq++) {
                Message m = s.createMessage();
                m.setIntProperty("cycle", cycle);
                m.setIntProperty("producer", producer);
                m.setIntProperty("seq", seq);
                p.send(m);
                acked.add(seq);
            }
        } catch (JMSException expected) {
            // the broker was killed under the send: that send did not return, so nothing is owed for it
        } finally {
            sending.countDown();
        }
    }

    /**
     * Consumes through the kill with CLIENT_ACKNOWLEDGE, acknowledging every {@code 7 + cycle % 13} messages, so
     * that at the kill some received messages are unacknowledged (and some acknowledgements are on the wire).
     */
    private static void consume(int port, int cycle, Seen seen, AtomicBoolean stop) {
        int batch = 7 + cycle % 13;
        List<Long> pending = new ArrayList<>();
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port + "?heartbeat=1000&requestTimeout=5000")
                .createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("crash"));
            while (!stop.get()) {
                Message m = consumer.receive(100);
                if (m == null) {
                    continue;
                }
                long key = Seen.key(m.getIntProperty("producer"), m.getIntProperty("seq"));
                seen.unconfirmed.add(key);
                pending.add(key);
                if (pending.size() == batch) {
                    try {
                        m.acknowledge();
                    } catch (JMSException killed) {
                        seen.ackInDoubt.addAll(pending);
                        seen.unconfirmed.removeAll(pending);
                        throw killed;
                    }
                    seen.confirmed.addAll(pending);
                    seen.unconfirmed.removeAll(pending);
                    pending.clear();
                }
            }
        } catch (JMSException expected) {
            // the broker was killed: whatever was not acknowledged by now stays unconfirmed
        }
    }

    private static void verifyAndDrain(int port, int cycle, List<ConcurrentSkipListSet<Integer>> acked, Seen before)
            throws Exception {
        BitSet[] seen = new BitSet[PRODUCERS];
        for (int i = 0; i < PRODUCERS; i++) {
            seen[i] = new BitSet();
        }
        int total = acked.stream().mapToInt(ConcurrentSkipListSet::size).sum();
        assertThat(total).as("cycle %d sent something before the kill", cycle).isPositive();
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("crash"));
            Message m;
            while ((m = consumer.receive(2000)) != null) {
                int producer = m.getIntProperty("producer");
                int seq = m.getIntProperty("seq");
                assertThat(m.getIntProperty("cycle")).as("a message from an earlier, drained cycle").isEqualTo(cycle);
                long key = Seen.key(producer, seq);
                assertThat(before.confirmed).as("cycle %d: producer %d's message %d was acknowledged before the "
                        + "kill, yet delivered again", cycle, producer, seq).doesNotContain(key);
                if (seen[producer].get(seq) || before.unconfirmed.contains(key) || before.ackInDoubt.contains(key)) {
                    assertThat(m.getJMSRedelivered()).as("cycle %d: message %d of producer %d was delivered before, "
                            + "yet not flagged JMSRedelivered", cycle, seq, producer).isTrue();
                    assertThat(m.getIntProperty("JMSXDeliveryCount")).isGreaterThan(1);
                }
                seen[producer].set(seq);
            }
        }
        for (int p = 0; p < PRODUCERS; p++) {
            for (int seq : acked.get(p)) {
                long key = Seen.key(p, seq);
                assertThat(seen[p].get(seq) || before.confirmed.contains(key) || before.ackInDoubt.contains(key))
                        .as("cycle %d: producer %d's message %d was acknowledged, then lost", cycle, p, seq).isTrue();
            }
        }
        for (long key : before.unconfirmed) {
            assertThat(seen[(int) (key >>> 32)].get((int) key)).as("cycle %d: message %d of producer %d was "
                    + "received but not acknowledged before the kill, and not delivered again", cycle, (int) key,
                    (int) (key >>> 32)).isTrue();
        }
        System.out.println("kill -9 cycle " + cycle + ": all " + total + " acknowledged sends accounted for ("
                + before.confirmed.size() + " consumed before the kill, " + before.ackInDoubt.size()
                + " with their acknowledgement under way at the kill, " + before.unconfirmed.size()
                + " received unacknowledged and delivered again flagged)");
    }

    /** A broker in its own JVM, started from this test's class path with the journal store. */
    static final class ForkedBroker {
        private final Process process;
        private final int port;

        private ForkedBroker(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static ForkedBroker start(Path dataDir, Path log) throws IOException, InterruptedException {
            return start(dataDir, log, List.of());
        }

        /** @param settings more broker settings, as system properties: {@code -Dtern.memory-limit=1m} */
        static ForkedBroker start(Path dataDir, Path log, List<String> settings)
                throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-Dtern.store=" + System.getProperty("tern.crash.store", "journal"),
                    // checkpoints every 100 ms, so kills land before, during and after them
                    "-Dtern.journal.checkpoint-interval-ms=" + System.getProperty("tern.crash.checkpoint-ms", "100")));
            cmd.addAll(settings);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "io.tern.broker.launcher.Main", "--port", "0", "--data-dir", dataDir.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .pollInterval(java.time.Duration.ofMillis(20))
                        .until(() -> READY.matcher(Files.readString(log)).find() || !p.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                p.destroyForcibly();
                throw new IllegalStateException("the broker was not ready within 60 s:\n" + Files.readString(log));
            }
            Matcher m = READY.matcher(Files.readString(log));
            if (!m.find()) {
                throw new IllegalStateException("the broker exited with " + p.waitFor() + ":\n"
                        + Files.readString(log));
            }
            return new ForkedBroker(p, Integer.parseInt(m.group(1)));
        }

        int port() {
            return port;
        }

        /** SIGKILL: no shutdown hook, no flush. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

}
