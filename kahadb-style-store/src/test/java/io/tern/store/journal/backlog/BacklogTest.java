package io.tern.store.journal.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than the heap: a broker in its own JVM, started with {@code -Xmx256m} on the journal store,
 * accepts 1,000,000 persistent 1 KiB messages with nobody consuming, is killed with SIGKILL with the backlog stored,
 * restarts, and the backlog is drained completely, each message once. Prints (and writes to
 * {@code target/backlog-figures.txt}) the fill rate, the drain rate, the broker's peak RSS in each phase and the
 * time from start to ready after the kill (recovery). Runs in the {@code backlog} profile only
 * ({@code ./mvnw verify -pl kahadb-style-store -am -Pbacklog}); {@code -Dtern.backlog.messages=N} changes the count.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class BacklogTest {
    private static final Pattern READY = Pattern.compile("ready on tcp://127\\.0\\.0\\.1:(\\d+)");
    private static final int PRODUCERS = 4;
    private static final int BODY = 1024;

    @TempDir
    Path work;

    @Test
    void aMillionPersistentMessagesFitABrokerWith256MiBOfHeap() throws Exception {
        int total = Integer.getInteger("tern.backlog.messages", 1_000_000);
        Path data = work.resolve("data");
        List<String> figures = new ArrayList<>();

        Forked filling = Forked.start(data, work.resolve("fill.log"));
        long fillStart = System.nanoTime();
        fill(filling.port, total);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long fillPeak = filling.peakRssKiB();
        figures.add(String.format(Locale.ROOT, "fill: %,d messages in %.1f s = %,.0f msg/s; broker peak RSS %,d MiB",
                total, fillSeconds, total / fillSeconds, fillPeak / 1024));
        filling.kill();

        long restartStart = System.nanoTime();
        Forked draining = Forked.start(data, work.resolve("drain.log"));
        double recoverySeconds = (System.nanoTime() - restartStart) / 1e9;
        figures.add(String.format(Locale.ROOT, "restart after kill -9 with the backlog stored: ready in %.1f s "
                + "(JVM start included)", recoverySeconds));
        try {
            long drainStart = System.nanoTime();
            drain(draining.port, total);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            figures.add(String.format(Locale.ROOT, "drain: %,d messages in %.1f s = %,.0f msg/s; broker peak RSS "
                    + "%,d MiB", total, drainSeconds, total / drainSeconds, draining.peakRssKiB() / 1024));
        } finally {
            draining.stop();
        }
        figures.forEach(f -> System.out.println("backlog " + f));
        Files.write(Path.of("target", "backlog-figures.txt"), figures);
    }

    /** PRODUCERS threads send {@code total} persistent messages with a CompletionListener (windowed). */
    private static void fill(int port, int total) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int first = p;
            Thread t = new Thread(() -> {
                try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = s.createProducer(s.createQueue("backlog"));
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                    int mine = (total - first + PRODUCERS - 1) / PRODUCERS;
                    Semaphore answered = new Semaphore(0);
                    CompletionListener listener = new CompletionListener() {
                        @Override
                        public void onCompletion(Message message) {
                            answered.release();
                        }

                        @Override
                        public void onException(Message message, Exception exception) {
                            failure.compareAndSet(null, exception);
                            answered.release();
                        }
                    };
                    byte[] body = new byte[BODY];
                    for (int n = first; n < total; n += PRODUCERS) {
                        BytesMessage m = s.createBytesMessage();
                        m.writeBytes(body);
                        m.setIntProperty("n", n);
                        producer.send(m, listener);
                    }
                    if (!answered.tryAcquire(mine, 10, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("sends not answered within 10 minutes");
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "backlog-producer-" + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a send failed", failure.get());
        }
    }

    private static void drain(int port, int total) throws Exception {
        BitSet seen = new BitSet(total);
        AtomicLong duplicates = new AtomicLong();
        try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + port).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("backlog"));
            int received = 0;
            Message m;
            while (received < total && (m = consumer.receive(30_000)) != null) {
                int n = m.getIntProperty("n");
                assertThat(((BytesMessage) m).getBodyLength()).isEqualTo(BODY);
                if (seen.get(n)) {
                    assertThat(m.getJMSRedelivered()).as("duplicate %d not flagged", n).isTrue();
                    duplicates.incrementAndGet();
                } else {
                    seen.set(n);
                    received++;
                }
            }
            assertThat(received).as("messages drained").isEqualTo(total);
            assertThat(consumer.receive(500)).as("nothing beyond the backlog").isNull();
        }
    }

    /** A broker in its own JVM with -Xmx256m, started from this test's class path on the journal store. */
    private static final class Forked {
        private final Process process;
        private final int port;

        private Forked(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Forked start(Path dataDir, Path log) throws IOException, InterruptedException {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Dtern.store=journal",
                    "-cp", System.getProperty("java.class.path"),
                    "io.tern.broker.launcher.Main", "--port", "0", "--data-dir", dataDir.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> READY.matcher(Files.readString(log)).find() || !p.isAlive());
            Matcher m = READY.matcher(Files.readString(log));
            if (!m.find()) {
                throw new IllegalStateException("the broker exited with " + p.waitFor() + ":\n"
                        + Files.readString(log));
            }
            return new Forked(p, Integer.parseInt(m.group(1)));
        }

        /** VmHWM: the process's peak resident set so far, in KiB. */
        long peakRssKiB() throws IOException {
            assertThat(process.isAlive()).as("the broker is still running (no OutOfMemoryError)").isTrue();
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
