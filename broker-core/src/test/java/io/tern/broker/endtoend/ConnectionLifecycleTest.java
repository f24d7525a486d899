package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connection stop and close, autoStart, and messages of a foreign provider. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void stopWaitsForARunningListener() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("stop-waits");
            BlockingListener listener = new BlockingListener();
            s.createConsumer(q).setMessageListener(listener);
            c.start();
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(q).send(s.createTextMessage("x"));
            assertThat(listener.awaitInside()).isTrue();
            CompletableFuture<Void> stopping = BlockingListener.onAnotherThread(c::stop);
            Thread.sleep(200); // a window in which stop must still be waiting; nothing to await for an absence
            assertThat(stopping).as("stop waits while onMessage runs").isNotDone();
            listener.release();
            stopping.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingAConnectionRollsBackItsOpenTransaction() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            Connection c = broker.factory("tcp", "").createConnection();
            Session setup = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue in = setup.createQueue("tx-in");
            Queue out = setup.createQueue("tx-out");
            setup.createProducer(in).send(setup.createTextMessage("consumed, not committed"));
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(tx.createConsumer(in).receive(5000)).isNotNull();
            tx.createProducer(out).send(tx.createTextMessage("sent, not committed"));
            c.close();

            try (Connection after = broker.factory("tcp", "").createConnection()) {
                after.start();
                Session s = after.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message back = s.createConsumer(in).receive(5000);
                assertThat(QueueMessagingTest.text(back)).isEqualTo("consumed, not committed");
                assertThat(back.getJMSRedelivered()).isTrue();
                assertThat(s.createConsumer(out).receive(300)).as("the uncommitted send is gone").isNull();
            }
        }
    }

    @Test
    void aContextWithoutAutoStartDeliversOnlyAfterStart() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext context = broker.factory("vm", "").createContext()) {
            context.setAutoStart(false);
            Queue q = context.createQueue("manual-start");
            context.createProducer().send(q, "wait for start");
            var consumer = context.createConsumer(q);
            assertThat(consumer.receive(200)).as("not started").isNull();
            context.start();
            assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("wait for start");
        }
    }

    @Test
    void aForeignProvidersMessageIsSentWithItsHeadersPropertiesAndBody() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("foreign");
            TextMessage foreign = foreignTextMessage();
            foreign.setText("from elsewhere");
            foreign.setStringProperty("origin", "another-provider");
            foreign.setIntProperty("n", 3);
            foreign.setJMSCorrelationID("corr-foreign");
            foreign.setJMSType("alien");
            s.createProducer(q).send(foreign);
            assertThat(foreign.getJMSMessageID()).as("the send stamps the foreign object").startsWith("ID:");
            assertThat(foreign.getJMSDestination()).isEqualTo(q);

            c.start();
            TextMessage got = (TextMessage) s.createConsumer(q).receive(5000);
            assertThat(got.getText()).isEqualTo("from elsewhere");
            assertThat(got.getStringProperty("origin")).isEqualTo("another-provider");
            assertThat(got.getIntProperty("n")).isEqualTo(3);
            assertThat(got.getJMSCorrelationID()).isEqualTo("corr-foreign");
            assertThat(got.getJMSType()).isEqualTo("alien");
            assertThat(got.getJMSMessageID()).isEqualTo(foreign.getJMSMessageID());
        }
    }

    /**
     * A TextMessage of no provider at all: a dynamic proxy keeping headers, properties and text in maps. Tern can
     * only reach it through the jakarta.jms interface, as it would another provider's message.
     */
    private static TextMessage foreignTextMessage() {
        Map<String, Object> headers = new HashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        return (TextMessage) Proxy.newProxyInstance(ConnectionLifecycleTest.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("setText")) {
                        headers.put("text", args[0]);
                        return null;
                    }
                    if (name.equals("getText")) {
                        return headers.get("text");
                    }
                    if (name.equals("getPropertyNames")) {
                        return Collections.enumeration(properties.keySet());
                    }
                    if (name.equals("propertyExists")) {
                        return properties.containsKey((String) args[0]);
                    }
                    if (name.startsWith("set") && name.endsWith("Property")) {
                        properties.put((String) args[0], args[1]);
                        return null;
                    }
                    if (name.startsWith("get") && name.endsWith("Property")) {
                        return properties.get((String) args[0]);
                    }
                    if (name.startsWith("setJMS")) {
                        headers.put(name.substring(3), args[0]);
                        return null;
                    }
                    if (name.startsWith("getJMS")) {
                        Object v = headers.get(name.substring(3));
                        Class<?> t = method.getReturnType();
                        if (v == null && t == long.class) {
                            return 0L;
                        }
                        if (v == null && t == int.class) {
                            return name.equals("getJMSPriority") ? 4 : 2;
                        }
                        if (v == null && t == boolean.class) {
                            return false;
                        }
                        return v;
                    }
                    if (name.equals("toString")) {
                        return "ForeignTextMessage" + headers;
                    }
                    if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (name.equals("equals")) {
                        return proxy == args[0];
                    }
                    return null;
                });
    }
}
