package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four producers and four consumers move 50,000 messages through one queue over TCP: none lost, none duplicated,
 * and every consumer sees each producer's messages in the order that producer sent them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoadTest {
    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int TOTAL = 50_000;
    private static final int PER_PRODUCER = TOTAL / PRODUCERS;

    @TempDir
    Path dataDir;

    @Test
    void fourProducersFourConsumersFiftyThousandMessages() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
            AtomicInteger received = new AtomicInteger();
            List<Future<Map<Integer, List<Integer>>>> consumerResults = new ArrayList<>();
            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < CONSUMERS; i++) {
                    Connection c = broker.factory("tcp", "").createConnection();
                    connections.add(c);
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer consumer = s.createConsumer(s.createQueue("load"));
                    c.start();
                    consumerResults.add(pool.submit(consume(consumer, received)));
                }
                List<Future<?>> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    Connection c = broker.factory("tcp", "").createConnection();
                    connections.add(c);
                    producers.add(pool.submit(produce(c, p)));
                }
                for (Future<?> f : producers) {
                    f.get(150, TimeUnit.SECONDS);
                }
                BitSet[] seen = new BitSet[PRODUCERS];
                for (int p = 0; p < PRODUCERS; p++) {
                    seen[p] = new BitSet(PER_PRODUCER);
                }
                int total = 0;
                for (Future<Map<Integer, List<Integer>>> f : consumerResults) {
                    Map<Integer, List<Integer>> byProducer = f.get(150, TimeUnit.SECONDS);
                    for (Map.Entry<Integer, List<Integer>> e : byProducer.entrySet()) {
                        List<Integer> seqs = e.getValue();
                        for (int i = 0; i < seqs.size(); i++) {
                            if (i > 0) {
                                assertThat(seqs.get(i)).as("order of producer %d", e.getKey())
                                        .isGreaterThan(seqs.get(i - 1));
                            }
                            assertThat(seen[e.getKey()].get(seqs.get(i)))
                                    .as("duplicate %d from producer %d", seqs.get(i), e.getKey()).isFalse();
                            seen[e.getKey()].set(seqs.get(i));
                            total++;
                        }
                    }
                }
                assertThat(total).isEqualTo(TOTAL);
                for (int p = 0; p < PRODUCERS; p++) {
                    assertThat(seen[p].cardinality()).as("messages from producer %d", p).isEqualTo(PER_PRODUCER);
                }
            } finally {
                for (Connection c : connections) {
                    c.close();
                }
                pool.shutdownNow();
            }
        }
    }

    private static Callable<Void> produce(Connection c, int producer) {
        return () -> {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("load"));
            for (int i = 0; i < PER_PRODUCER; i++) {
                Message m = s.createMessage();
                m.setIntProperty("producer", producer);
                m.setIntProperty("seq", i);
                p.send(m);
            }
            return null;
        };
    }

    private static Callable<Map<Integer, List<Integer>>> consume(MessageConsumer consumer, AtomicInteger received) {
        return () -> {
            Map<Integer, List<Integer>> byProducer = new HashMap<>();
            while (received.get() < TOTAL) {
                Message m = consumer.receive(200);
                if (m == null) {
                    continue;
                }
                received.incrementAndGet();
                byProducer.computeIfAbsent(m.getIntProperty("producer"), k -> new ArrayList<>())
                        .add(m.getIntProperty("seq"));
            }
            return byProducer;
        };
    }
}
