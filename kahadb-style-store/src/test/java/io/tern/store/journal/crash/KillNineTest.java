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
 * messages synchronously. After each restart every message whose send returned is delivered, and none twice unless
 * flagged JMSRedelivered. {@code -Dtern.crash.cycles=N} sets the number of cycles (10 by default; the
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

    @Test
    void everyAcknowledgedSendSurvivesSigkill() throws Exception {
        int cycles = Integer.getInteger("tern.crash.cycles", 10);
        Path data = work.resolve("data");
        for (int cycle = 0; cycle < cycles; cycle++) {
            List<ConcurrentSkipListSet<Integer>> acked = new ArrayList<>();
            ForkedBroker broker = ForkedBroker.start(data, work.resolve("broker-" + cycle + ".log"));
            try {
                acked = produceUntilKilled(broker, cycle);
            } finally {
                broker.kill();
            }
            ForkedBroker restarted = ForkedBroker.start(data, work.resolve("broker-" + cycle + "-restart.log"));
            try {
                verifyAndDrain(restarted.port(), cycle, acked);
            } finally {
                restarted.stop();
            }
        }
    }

    /** Four producers send until the broker is killed under them; returns, per producer, the sends that returned. */
    private static List<ConcurrentSkipListSet<Integer>> produceUntilKilled(ForkedBroker broker, int cycle)
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

    private static void verifyAndDrain(int port, int cycle, List<ConcurrentSkipListSet<Integer>> acked)
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
                if (seen[producer].get(seq)) {
                    assertThat(m.getJMSRedelivered()).as("duplicate %d of producer %d not flagged", seq, producer)
                            .isTrue();
                }
                seen[producer].set(seq);
            }
        }
        for (int p = 0; p < PRODUCERS; p++) {
            for (int seq : acked.get(p)) {
                assertThat(seen[p].get(seq)).as("cycle %d: producer %d's message %d was acknowledged, then lost",
                        cycle, p, seq).isTrue();
            }
        }
        System.out.println("kill -9 cycle " + cycle + ": all " + total + " acknowledged sends delivered after restart");
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
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dtern.store=" + System.getProperty("tern.crash.store", "journal"),
                    // checkpoints every 100 ms, so kills land before, during and after them
                    "-Dtern.journal.checkpoint-interval-ms=" + System.getProperty("tern.crash.checkpoint-ms", "100"),
                    "-cp", System.getProperty("java.class.path"),
                    "io.tern.broker.launcher.Main", "--port", "0", "--data-dir", dataDir.toString());
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
