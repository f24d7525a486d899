package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoredMessage;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent message reaches a waiting consumer while its add is still being made durable (the store says it is
 * written), its sender's send() returns only once the add is durable, and the consumer's acknowledgement removes it
 * from the store only after that: never a remove of a message whose sender was not answered yet.
 */
@Timeout(60)
class ConcurrentStoreAndDispatchTest {
    @TempDir
    Path dataDir;

    /** The memory store, whose adds run their written action at once but complete only when the test says. */
    private static final class HeldStore {
        final MemoryStore real = new MemoryStore();
        final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        Store proxy() {
            return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("add") && args.length == 3) {
                            StoredMessage m = (StoredMessage) args[1];
                            calls.add("add " + m.id());
                            CompletableFuture<Void> durable = new CompletableFuture<>();
                            real.add((String) args[0], m).join();
                            held.add(durable);
                            ((Runnable) args[2]).run();
                            return durable;
                        }
                        if (method.getName().startsWith("remove") && args.length == 2) {
                            calls.add(method.getName() + " " + args[1]);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void aConsumerGetsTheMessageBeforeItIsDurableAndItsRemovalWaitsForTheSendersAnswer() throws Exception {
        HeldStore store = new HeldStore();
        BrokerConfig config = BrokerConfig.builder().name("csd").host("127.0.0.1").port(0).dataDir(dataDir)
                .heartbeatMillis(0).build();
        try (Broker broker = new Broker(config, store.proxy())) {
            broker.start();
            TernConnectionFactory factory = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port());
            try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
                consuming.start();
                Session cs = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
                var consumer = cs.createConsumer(cs.createQueue("csd"));
                Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = ps.createProducer(ps.createQueue("csd"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);

                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        producer.send(ps.createTextMessage("early"));
                    } catch (jakarta.jms.JMSException e) {
                        throw new IllegalStateException(e);
                    }
                });
                TextMessage received = (TextMessage) consumer.receive(10_000);
                assertThat(received).as("delivered while its add is not durable").isNotNull();
                assertThat(received.getText()).isEqualTo("early");
                assertThat(received.getJMSRedelivered()).isFalse();
                assertThat(sending).as("the send waits for the add to be durable").isNotDone();
                // the broker has taken the auto-acknowledgement; the removal waits for the add and the answer
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> broker.queueStats("csd").orElseThrow().consumed() == 1);
                assertThat(store.calls).containsExactly("add 1");

                store.held.get(0).complete(null);
                sending.get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.calls.size() == 2);
                assertThat(store.calls).containsExactly("add 1", "removeAcknowledged 1");
                await().atMost(Duration.ofSeconds(10)).until(() -> store.real.count("csd") == 0);
            }
        }
    }
}
