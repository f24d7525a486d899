package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four producers and four consumers over TCP on one queue, with selectors and priorities: two consumers take the
 * red messages, two the blue ones. Every message reaches exactly one consumer of its colour, none is lost or
 * duplicated, and each consumer sees a producer's messages of one priority in the order they were sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedWorkloadTest {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 2_500;

    @TempDir
    Path dataDir;

    @Test
    void selectorsAndPrioritiesUnderConcurrency() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Connection> connections = new ArrayList<>();
            AtomicInteger received = new AtomicInteger();
            try {
                List<Future<List<Message>>> consumers = new ArrayList<>();
                for (String color : new String[] {"red", "red", "blue", "blue"}) {
                    Connection c = broker.factory("tcp", "prefetch=50").createConnection();
                    connections.add(c);
                    Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                    MessageConsumer consumer = s.createConsumer(s.createQueue("mixed"), "color = '" + color + "'");
                    c.start();
                    consumers.add(pool.submit(() -> {
                        List<Message> mine = new ArrayList<>();
                        while (received.get() < PRODUCERS * PER_PRODUCER) {
                            Message m = consumer.receive(200);
                            if (m != null) {
                                mine.add(m);
                                m.acknowledge();
                                received.incrementAndGet();
                            }
                        }
                        return mine;
                    }));
                }
                List<Future<?>> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    Connection c = broker.factory("tcp", "").createConnection();
                    connections.add(c);
                    int producer = p;
                    producers.add(pool.submit(() -> {
                        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        MessageProducer out = s.createProducer(s.createQueue("mixed"));
                        for (int i = 0; i < PER_PRODUCER; i++) {
                            Message m = s.createMessage();
                            m.setStringProperty("color", i % 3 == 0 ? "blue" : "red");
                            m.setIntProperty("producer", producer);
                            m.setIntProperty("seq", i);
                            out.send(m, DeliveryMode.PERSISTENT, i % 10, 0);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : producers) {
                    f.get(100, TimeUnit.SECONDS);
                }
                Set<String> seen = new HashSet<>();
                int index = 0;
                for (Future<List<Message>> f : consumers) {
                    String color = index++ < 2 ? "red" : "blue";
                    int[][] lastSeq = new int[PRODUCERS][10];
                    for (int[] row : lastSeq) {
                        java.util.Arrays.fill(row, -1);
                    }
                    for (Message m : f.get(100, TimeUnit.SECONDS)) {
                        assertThat(m.getStringProperty("color")).isEqualTo(color);
                        int producer = m.getIntProperty("producer");
                        int seq = m.getIntProperty("seq");
                        assertThat(seen.add(producer + ":" + seq)).as("duplicate %d:%d", producer, seq).isTrue();
                        int prio = m.getJMSPriority();
                        assertThat(seq).as("order of producer %d at priority %d", producer, prio)
                                .isGreaterThan(lastSeq[producer][prio]);
                        lastSeq[producer][prio] = seq;
                    }
                }
                assertThat(seen).hasSize(PRODUCERS * PER_PRODUCER);
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
                pool.shutdownNow();
            }
        }
    }
}
