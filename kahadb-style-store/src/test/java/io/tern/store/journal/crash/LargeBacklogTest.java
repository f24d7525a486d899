package io.tern.store.journal.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog much larger than the broker's memory budget, in a broker JVM limited to {@code -Xmx256m}: it is accepted,
 * survives a restart (which reads only a page of it) and is drained in order. In every build a 20,000-message backlog
 * pages under {@code memory-limit=1m} ({@code -Dtern.large-backlog.messages=N} and
 * {@code -Dtern.large-backlog.memory-limit=SIZE} change them; {@code default} means the broker's default, a quarter
 * of its heap). The 1,000,000 messages, with figures, are {@code backlog/BacklogTest} in the {@code backlog}
 * profile.
 */
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class LargeBacklogTest {
    private static final int PRODUCERS = 4;

    @TempDir
    Path work;

    @Test
    void aBacklogLargerThanMemoryIsAcceptedRestartedAndDrainedInOrder() throws Exception {
        int each = Integer.getInteger("tern.large-backlog.messages", 20_000) / PRODUCERS;
        String limit = System.getProperty("tern.large-backlog.memory-limit", "1m");
        List<String> settings = new ArrayList<>(List.of("-Dtern.journal.sync=never"));
        if (!limit.equals("default")) {
            settings.add("-Dtern.memory-limit=" + limit);
        }
        Path data = work.resolve("data");
        KillNineTest.ForkedBroker broker = KillNineTest.ForkedBroker.start(data, work.resolve("send.log"), settings);
        try {
            send(broker.port(), each);
        } finally {
            broker.stop();
        }
        KillNineTest.ForkedBroker restarted = KillNineTest.ForkedBroker.start(data, work.resolve("drain.log"),
                settings);
        try {
            drain(restarted.port(), each);
            assertThat(Files.readString(work.resolve("drain.log"))).as("the restarted broker paged")
                    .contains("TERN-B0601");
        } finally {
            restarted.stop();
        }
    }

    private static void send(int port, int each) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                sent.add(threads.submit(() -> {
                    try (Connection c = factory(port).createConnection()) {
                        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        MessageProducer mp = s.createProducer(s.createQueue("backlog"));
                        byte[] body = new byte[1024];
                        for (int n = 0; n < each; n++) {
                            BytesMessage m = s.createBytesMessage();
                            m.writeBytes(body);
                            m.setIntProperty("producer", producer);
                            m.setIntProperty("n", n);
                            mp.send(m);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(50, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void drain(int port, int each) throws JMSException {
        int[] next = new int[PRODUCERS];
        try (Connection c = factory(port).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("backlog"));
            for (int i = 0; i < each * PRODUCERS; i++) {
                Message m = consumer.receive(30_000);
                assertThat(m).as("message %d of %d", i + 1, each * PRODUCERS).isNotNull();
                int producer = m.getIntProperty("producer");
                assertThat(m.getIntProperty("n")).as("producer %d's messages in order", producer)
                        .isEqualTo(next[producer]);
                next[producer]++;
            }
            assertThat(consumer.receive(500)).as("nothing twice").isNull();
        }
    }

    private static TernConnectionFactory factory(int port) {
        return new TernConnectionFactory("tcp://127.0.0.1:" + port + "?requestTimeout=60000");
    }
}
