package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.Store;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread handles a request: a Netty event loop never calls a store whose writes may block (JDBC); with a store
 * whose writes only queue (the journal, memory) a send or an ack is handled on the event loop that read it when its
 * connection is idle, and every other request (commits, subscriptions, XA) still waits for a worker thread. Nor does
 * an event loop read the store: a browser's walk of a paged queue, which its credit drives, reads it on a worker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestThreadsTest {
    @TempDir
    Path dataDir;

    /** The store's reads of messages, counted beside its writes. */
    private static final Set<String> READS = Set.of("read", "recover");

    /** Store writes and reads (by method name) counted by where they ran: on a Netty thread or not. */
    private final Map<String, AtomicInteger> onEventLoop = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> elsewhere = new ConcurrentHashMap<>();

    /** The memory store, saying its writes may block or not as asked, and counting where each write runs. */
    private Store recording(boolean submitsWithoutBlocking) {
        MemoryStore real = new MemoryStore();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("submitsWithoutBlocking")) {
                        return submitsWithoutBlocking;
                    }
                    if (method.getReturnType() == CompletableFuture.class || READS.contains(method.getName())) {
                        boolean netty = Thread.currentThread() instanceof FastThreadLocalThread;
                        (netty ? onEventLoop : elsewhere).computeIfAbsent(method.getName(), n -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Broker start(Store store) throws Exception {
        return start(store, 0);
    }

    /** With {@code memoryLimit} > 0, a backlog over that many bytes pages: the broker reads the rest from the store. */
    private Broker start(Store store, long memoryLimit) throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder().name("threads").host("127.0.0.1").port(0)
                .dataDir(dataDir).heartbeatMillis(0);
        if (memoryLimit > 0) {
            config.memoryLimitBytes(memoryLimit);
        }
        Broker broker = new Broker(config.build(), store);
        broker.start();
        return broker;
    }

    /** Sends, receives and acknowledges, commits a transaction and uses a durable subscription. */
    private static void exercise(Connection c) throws Exception {
        c.setClientID("threads");
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("threads.q");
        MessageConsumer consumer = s.createConsumer(q);
        MessageProducer producer = s.createProducer(q);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = 0; i < 20; i++) {
            producer.send(s.createTextMessage("m" + i));
            assertThat(consumer.receive(10_000)).isNotNull();
        }
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        tx.createProducer(q).send(tx.createTextMessage("in a transaction"));
        tx.commit();
        assertThat(consumer.receive(10_000)).isNotNull();
        Topic t = s.createTopic("threads.t");
        MessageConsumer durable = s.createDurableConsumer(t, "sub");
        MessageProducer publisher = s.createProducer(t);
        publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
        publisher.send(s.createTextMessage("published"));
        assertThat(durable.receive(10_000)).isNotNull();
        durable.close();
        s.unsubscribe("sub");
    }

    @Test
    void aStoreWhoseWritesMayBlockIsNeverCalledOnAnEventLoop() throws Exception {
        try (Broker broker = start(recording(false));
             Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port()).createConnection()) {
            exercise(c);
        }
        assertThat(elsewhere).containsKeys("add", "commit", "addSubscription", "removeSubscription");
        assertThat(onEventLoop).isEmpty();
    }

    @Test
    void withAStoreThatOnlyQueuesItsWritesSendsRunOnTheEventLoopAndOtherRequestsDoNot() throws Exception {
        try (Broker broker = start(recording(true));
             Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port()).createConnection()) {
            exercise(c);
            // A send finds its connection idle unless a worker has not yet let go of the previous request.
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("threads.idle"));
            for (int i = 0; i < 10_000 && !onEventLoop.containsKey("add"); i++) {
                producer.send(s.createTextMessage("m" + i));
            }
        }
        assertThat(onEventLoop).containsKey("add");
        Set<String> requestsOnly = Set.of("addSubscription", "removeSubscription", "prepare", "commitPrepared",
                "rollbackPrepared");
        assertThat(onEventLoop.keySet()).doesNotContainAnyElementsOf(requestsOnly);
        assertThat(elsewhere).containsKeys("addSubscription", "removeSubscription");
    }

    @Test
    void aBrowserOfAPagedQueueReadsTheStoreOnAWorkerNeverOnAnEventLoop() throws Exception {
        try (Broker broker = start(recording(true), 64 * 1024);
             Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port() + "?prefetch=10")
                     .createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("threads.browsed");
            MessageProducer producer = s.createProducer(q);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 300; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[1024]);
                m.setIntProperty("n", i);
                producer.send(m);
            }
            onEventLoop.clear();
            elsewhere.clear();
            // prefetch 10: the browser asks for more 29 times, each a CREDIT that an event loop reads
            Enumeration<?> browsed = s.createBrowser(q).getEnumeration();
            int n = 0;
            while (browsed.hasMoreElements()) {
                assertThat(((Message) browsed.nextElement()).getIntProperty("n")).isEqualTo(n++);
            }
            assertThat(n).isEqualTo(300);
        }
        assertThat(elsewhere).as("the browse read the paged-out messages from the store").containsKey("recover");
        assertThat(onEventLoop).doesNotContainKeys("recover", "read");
    }
}
