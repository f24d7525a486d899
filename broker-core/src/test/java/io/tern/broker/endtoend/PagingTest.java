package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.destination.DestinationStats;
import io.tern.broker.paging.MemoryBudget;
import io.tern.broker.store.MemoryStore;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than {@code memory-limit}: the broker holds a window of it and reads the rest from the store as
 * consumers take messages. A 64 KiB budget makes a few hundred 1 KiB messages page.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PagingTest {
    private static final long LIMIT = 64 * 1024;
    /** One page: about a quarter of the budget (see Backlog), plus a message for the size estimate's rounding. */
    private static final long PAGE = LIMIT / 4 + 1024 + MemoryBudget.ENTRY_OVERHEAD;

    @TempDir
    Path dataDir;

    private static TestBroker paging(Path dir) throws Exception {
        return TestBroker.start(dir, b -> b.memoryLimitBytes(LIMIT));
    }

    private static void send(Session s, Destination d, int from, int to, String k) throws JMSException {
        MessageProducer p = s.createProducer(d);
        for (int n = from; n < to; n++) {
            p.send(kib(s, n, k));
        }
        p.close();
    }

    private static BytesMessage kib(Session s, int n, String k) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[1024]);
        m.setIntProperty("n", n);
        m.setStringProperty("k", k);
        return m;
    }

    private static List<Integer> receive(MessageConsumer consumer, int count) throws JMSException {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(5000);
            assertThat(m).as("message %d of %d", i + 1, count).isNotNull();
            got.add(m.getIntProperty("n"));
        }
        return got;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static DestinationStats stats(TestBroker broker, String queue) {
        return broker.broker().queueStats(queue).orElseThrow();
    }

    private static void awaitNothingHeld(Broker broker) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> broker.memory().heldBytes() == 0);
    }

    @Test
    void aBacklogLargerThanTheLimitIsDeliveredCompletelyInOrderExactlyOnce() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("backlog");
            send(s, q, 0, 600, "x");
            MemoryBudget memory = broker.broker().memory();
            assertThat(memory.limitBytes()).isEqualTo(LIMIT);
            assertThat(stats(broker, "backlog").pending()).isEqualTo(600);
            assertThat(stats(broker, "backlog").paged()).as("most of the backlog is in the store only")
                    .isGreaterThan(500);
            assertThat(memory.heldBytes()).isLessThanOrEqualTo(LIMIT);

            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(receive(consumer, 600)).containsExactlyElementsOf(range(0, 600));
            assertThat(consumer.receive(200)).as("each message once").isNull();
            assertThat(memory.peakHeldBytes()).as("held bytes never above the limit and one page")
                    .isLessThanOrEqualTo(LIMIT + PAGE);
            awaitNothingHeld(broker.broker());
            assertThat(stats(broker, "backlog").pending()).isZero();
            assertThat(stats(broker, "backlog").paged()).isZero();

            // back in memory: a new message is held and delivered at once
            send(s, q, 600, 601, "x");
            assertThat(receive(consumer, 1)).containsExactly(600);
        }
    }

    @Test
    void aRestartedBrokerHoldsOnlyAPageOfAStoredBacklogAndDrainsIt() throws Exception {
        MemoryStore store = new MemoryStore();
        BrokerConfig config = BrokerConfig.builder().name("paging-restart").tcpEnabled(false).dataDir(dataDir)
                .heartbeatMillis(0).memoryLimitBytes(LIMIT).build();
        TernConnectionFactory factory = new TernConnectionFactory("vm://paging-restart?create=false&prefetch=10");
        try (Broker first = new Broker(config, store)) {
            first.start();
            try (Connection c = factory.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                send(s, s.createQueue("kept"), 0, 500, "x");
            }
        }
        try (Broker second = new Broker(config, store)) {
            second.start();
            DestinationStats stats = second.queueStats("kept").orElseThrow();
            assertThat(stats.pending()).isEqualTo(500);
            assertThat(stats.paged()).isGreaterThanOrEqualTo(500 - (int) (PAGE / 1024));
            assertThat(second.memory().heldBytes()).as("only the first page is read at start")
                    .isLessThanOrEqualTo(PAGE);
            try (Connection c = factory.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("kept"));
                assertThat(receive(consumer, 500)).containsExactlyElementsOf(range(0, 500));
                assertThat(consumer.receive(200)).isNull();
                send(s, s.createQueue("kept"), 500, 501, "x");
                assertThat(receive(consumer, 1)).as("new ids are above the stored ones").containsExactly(500);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> store.count("kept") == 0);
            assertThat(second.memory().peakHeldBytes()).isLessThanOrEqualTo(LIMIT + PAGE);
        }
    }

    @Test
    void aSelectiveConsumerGetsItsMatchesFromBeyondTheWindowInOrder() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("selected");
            send(s, q, 0, 400, "x");
            send(s, q, 400, 410, "y");
            send(s, q, 410, 500, "x");
            send(s, q, 500, 505, "y");
            c.start();
            MessageConsumer ys = s.createConsumer(q, "k = 'y'");
            assertThat(receive(ys, 15)).containsExactlyElementsOf(
                    IntStream.concat(IntStream.range(400, 410), IntStream.range(500, 505)).boxed().toList());
            assertThat(ys.receive(200)).isNull();
            ys.close();
            MessageConsumer rest = s.createConsumer(q);
            assertThat(receive(rest, 490)).containsExactlyElementsOf(
                    IntStream.concat(IntStream.range(0, 400), IntStream.range(410, 500)).boxed().toList());
            assertThat(rest.receive(200)).isNull();
            assertThat(broker.broker().memory().peakHeldBytes()).isLessThanOrEqualTo(LIMIT + PAGE);
        }
    }

    @Test
    void messagesReadAheadForASelectorDoNotOvertakeEarlierOnesForOtherConsumers() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("overtake");
            send(s, q, 0, 300, "x");
            send(s, q, 300, 320, "y");
            send(s, q, 320, 400, "x");
            MessageConsumer ys = s.createConsumer(q, "k = 'y'");
            Message first = ys.receive(5000);
            assertThat(first.getIntProperty("n")).isEqualTo(300);
            first.acknowledge();
            ys.close(); // the y messages read ahead for it (and prefetched) go back
            MessageConsumer all = s.createConsumer(q);
            List<Integer> got = receive(all, 399);
            assertThat(got).as("every other message, in order").containsExactlyElementsOf(
                    IntStream.range(0, 400).filter(n -> n != 300).boxed().toList());
            got.clear();
        }
    }

    @Test
    void aBrowserSeesThePagedOutMessagesAndTakesNone() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browsed");
            for (int n = 0; n < 300; n += 2) {
                send(s, q, n, n + 1, "a");
                send(s, q, n + 1, n + 2, "b");
            }
            assertThat(stats(broker, "browsed").paged()).isPositive();
            assertThat(browse(s.createBrowser(q))).containsExactlyElementsOf(range(0, 300));
            assertThat(browse(s.createBrowser(q, "k = 'b'")))
                    .containsExactlyElementsOf(IntStream.range(0, 300).filter(n -> n % 2 == 1).boxed().toList());
            assertThat(stats(broker, "browsed").pending()).isEqualTo(300);
            c.start();
            assertThat(receive(s.createConsumer(q), 300)).containsExactlyElementsOf(range(0, 300));
        }
    }

    private static List<Integer> browse(QueueBrowser browser) throws JMSException {
        List<Integer> seen = new ArrayList<>();
        Enumeration<?> e = browser.getEnumeration();
        while (e.hasMoreElements()) {
            seen.add(((Message) e.nextElement()).getIntProperty("n"));
        }
        browser.close();
        return seen;
    }

    @Test
    void purgingAPagingQueueRemovesTheStoredBacklogToo() throws Exception {
        MemoryStore store = new MemoryStore();
        BrokerConfig config = BrokerConfig.builder().name("paging-purge").tcpEnabled(false).dataDir(dataDir)
                .heartbeatMillis(0).memoryLimitBytes(LIMIT).build();
        try (Broker broker = new Broker(config, store);
             Connection c = connect(broker, "paging-purge")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("purged");
            send(s, q, 0, 300, "x");
            assertThat(broker.queueStats("purged").orElseThrow().paged()).isPositive();
            assertThat(broker.purgeQueue("purged")).isEqualTo(300);
            assertThat(broker.queueStats("purged").orElseThrow().pending()).isZero();
            assertThat(store.count("purged")).isZero();
            awaitNothingHeld(broker);
            send(s, q, 300, 301, "x");
            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(receive(consumer, 1)).containsExactly(300);
            assertThat(consumer.receive(200)).isNull();
        }
    }

    private static Connection connect(Broker broker, String vmName) throws JMSException {
        broker.start();
        return new TernConnectionFactory("vm://" + vmName + "?create=false&prefetch=10").createConnection();
    }

    @Test
    void aTransactionConsumesFromOnePagingQueueAndSendsToAnother() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(plain, plain.createQueue("from"), 0, 300, "x");
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue("from"));
            MessageProducer out = tx.createProducer(tx.createQueue("to"));
            for (int i = 0; i < 10; i++) {
                out.send(in.receive(5000));
            }
            tx.rollback(); // the ten come back, nothing was sent
            in.close(); // and what it prefetched since goes back too, so a new consumer starts at the first again
            in = tx.createConsumer(tx.createQueue("from"));
            for (int i = 0; i < 300; i++) {
                Message m = in.receive(5000);
                assertThat(m).isNotNull();
                out.send(kib(tx, m.getIntProperty("n"), "x"));
                if (i % 10 == 9) {
                    tx.commit();
                }
            }
            assertThat(in.receive(200)).isNull();
            tx.commit();
            assertThat(stats(broker, "from").pending()).isZero();
            assertThat(stats(broker, "to").pending()).isEqualTo(300);
            assertThat(stats(broker, "to").paged()).isPositive();
            MessageConsumer reader = plain.createConsumer(plain.createQueue("to"));
            assertThat(receive(reader, 300)).containsExactlyElementsOf(range(0, 300));
            assertThat(reader.receive(200)).isNull();
            awaitNothingHeld(broker.broker());
        }
    }

    @Test
    void aDurableSubscriptionWithABacklogPagesAndUnsubscribeRemovesIt() throws Exception {
        MemoryStore store = new MemoryStore();
        BrokerConfig config = BrokerConfig.builder().name("paging-durable").tcpEnabled(false).dataDir(dataDir)
                .heartbeatMillis(0).memoryLimitBytes(LIMIT).build();
        try (Broker broker = new Broker(config, store);
             Connection c = connect(broker, "paging-durable")) {
            c.setClientID("reader");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("events");
            s.createDurableConsumer(t, "audit").close();
            send(s, t, 0, 400, "x");
            DestinationStats stats = broker.topicStats("events").orElseThrow();
            assertThat(stats.pending()).isEqualTo(400);
            assertThat(stats.paged()).isGreaterThan(300);
            assertThat(broker.memory().heldBytes()).isLessThanOrEqualTo(LIMIT);
            c.start();
            MessageConsumer sub = s.createDurableConsumer(t, "audit");
            assertThat(receive(sub, 400)).containsExactlyElementsOf(range(0, 400));
            assertThat(sub.receive(200)).isNull();
            sub.close();

            send(s, t, 400, 700, "x");
            assertThat(broker.topicStats("events").orElseThrow().paged()).isPositive();
            s.unsubscribe("audit");
            assertThat(store.queueNames()).as("the paged-out messages went with the subscription").isEmpty();
            awaitNothingHeld(broker);
        }
    }

    @Test
    void aDurableSubscriptionsBacklogSurvivesARestartAndIsPagedInLazily() throws Exception {
        MemoryStore store = new MemoryStore();
        BrokerConfig config = BrokerConfig.builder().name("paging-durable-restart").tcpEnabled(false)
                .dataDir(dataDir).heartbeatMillis(0).memoryLimitBytes(LIMIT).build();
        try (Broker first = new Broker(config, store);
             Connection c = connect(first, "paging-durable-restart")) {
            c.setClientID("reader");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("events");
            s.createDurableConsumer(t, "audit").close();
            send(s, t, 0, 400, "x");
        }
        try (Broker second = new Broker(config, store);
             Connection c = connect(second, "paging-durable-restart")) {
            assertThat(second.topicStats("events").orElseThrow().pending()).isEqualTo(400);
            assertThat(second.memory().heldBytes()).isLessThanOrEqualTo(PAGE);
            c.setClientID("reader");
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("events");
            MessageConsumer sub = s.createDurableConsumer(t, "audit");
            assertThat(receive(sub, 400)).containsExactlyElementsOf(range(0, 400));
            send(s, t, 400, 401, "x");
            assertThat(receive(sub, 1)).as("new ids are above the stored ones").containsExactly(400);
            sub.close();
            s.unsubscribe("audit");
        }
    }

    @Test
    void concurrentProducersAndConsumersWhilePagingLoseNothingAndDuplicateNothing() throws Exception {
        int producers = 3;
        int each = 300;
        try (TestBroker broker = paging(dataDir)) {
            Map<Integer, List<Integer>> receivedBy = new ConcurrentHashMap<>();
            List<Integer> all = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(producers + 2);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    tasks.add(threads.submit(() -> {
                        try (Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
                            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                            send(s, s.createQueue("busy"), producer * 10_000, producer * 10_000 + each, "x");
                        }
                        return null;
                    }));
                }
                for (int k = 0; k < 2; k++) {
                    int consumer = k;
                    tasks.add(threads.submit(() -> {
                        try (Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
                            c.start();
                            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                            MessageConsumer mc = s.createConsumer(s.createQueue("busy"));
                            List<Integer> mine = receivedBy.computeIfAbsent(consumer,
                                    x -> Collections.synchronizedList(new ArrayList<>()));
                            while (all.size() < producers * each) {
                                Message m = mc.receive(100);
                                if (m != null) {
                                    mine.add(m.getIntProperty("n"));
                                    all.add(m.getIntProperty("n"));
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : tasks) {
                    f.get(45, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            List<Integer> expected = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                expected.addAll(range(p * 10_000, p * 10_000 + each));
            }
            assertThat(all).as("every message exactly once").containsExactlyInAnyOrderElementsOf(expected);
            for (List<Integer> mine : receivedBy.values()) {
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    List<Integer> fromP = mine.stream().filter(n -> n / 10_000 == producer).toList();
                    assertThat(fromP).as("a consumer sees each producer's messages in order").isSorted();
                }
            }
            assertThat(stats(broker, "busy").pending()).isZero();
        }
    }

    @Test
    void eachMessageGroupStaysWithOneConsumerInOrderWhileTheQueuePages() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("grouped");
            MessageProducer p = s.createProducer(q);
            for (int n = 0; n < 400; n++) {
                BytesMessage m = kib(s, n, "x");
                m.setStringProperty("JMSXGroupID", "g" + n % 3);
                p.send(m);
            }
            assertThat(stats(broker, "grouped").paged()).isPositive();
            c.start();
            List<MessageConsumer> consumers = List.of(
                    c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q),
                    c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q));
            Map<String, Integer> owner = new ConcurrentHashMap<>();
            Map<String, List<Integer>> byGroup = new ConcurrentHashMap<>();
            int received = 0;
            for (int turn = 0; received < 400 && turn < 10_000; turn++) {
                int k = turn % 2;
                Message m = consumers.get(k).receive(20);
                if (m != null) {
                    received++;
                    String group = m.getStringProperty("JMSXGroupID");
                    assertThat(owner.computeIfAbsent(group, g -> k)).as("group %s has one consumer", group)
                            .isEqualTo(k);
                    byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(m.getIntProperty("n"));
                }
            }
            assertThat(received).isEqualTo(400);
            for (int g = 0; g < 3; g++) {
                int group = g;
                assertThat(byGroup.get("g" + g)).containsExactlyElementsOf(
                        IntStream.range(0, 400).filter(n -> n % 3 == group).boxed().toList());
            }
        }
    }

    @Test
    void delayedAndNonPersistentMessagesArriveWhileTheQueuePages() throws Exception {
        try (TestBroker broker = paging(dataDir);
             Connection c = broker.factory("vm", "prefetch=10").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("mixed");
            send(s, q, 0, 300, "x");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryDelay(300);
            p.send(kib(s, 300, "delayed"));
            p.setDeliveryDelay(0);
            p.send(kib(s, 301, "fleeting"), DeliveryMode.NON_PERSISTENT, 4, 0);
            assertThat(stats(broker, "mixed").messageCount()).isEqualTo(302);
            c.start();
            List<Integer> got = receive(s.createConsumer(q), 302);
            assertThat(got).containsExactlyInAnyOrderElementsOf(range(0, 302));
            assertThat(got.stream().filter(n -> n < 300).toList()).containsExactlyElementsOf(range(0, 300));
        }
    }
}
