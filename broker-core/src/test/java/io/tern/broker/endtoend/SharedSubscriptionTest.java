package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.QueueMessagingTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shared durable and shared non-durable subscriptions (JMS 3.1, 6.11.2 and 8.3) through the JMS API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSubscriptionTest {
    @TempDir
    Path dataDir;

    private static void publish(Session s, Topic t, int from, int to) throws JMSException {
        MessageProducer p = s.createProducer(t);
        for (int i = from; i < to; i++) {
            p.send(s.createTextMessage("m" + i));
        }
        p.close();
    }

    /** Drains both consumers until {@code expected} messages arrived in all; fails on a duplicate. */
    private static Set<String> drain(int expected, MessageConsumer... consumers) throws JMSException {
        Set<String> seen = new HashSet<>();
        List<Integer> perConsumer = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int[] counts = new int[consumers.length];
        while (seen.size() < expected && System.nanoTime() < deadline) {
            for (int i = 0; i < consumers.length; i++) {
                Message m = consumers[i].receive(20);
                if (m != null) {
                    assertThat(seen.add(text(m))).as("delivered once: " + text(m)).isTrue();
                    counts[i]++;
                }
            }
        }
        for (MessageConsumer c : consumers) {
            assertThat(c.receive(100)).as("nothing after the last message").isNull();
        }
        for (int n : counts) {
            perConsumer.add(n);
        }
        assertThat(perConsumer).as("every consumer took a share").allMatch(n -> n > 0);
        return seen;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void consumersOfASharedSubscriptionOnSeveralConnectionsCompeteForItsMessages(String transport)
            throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection a = broker.factory(transport, "prefetch=1").createConnection();
             Connection b = broker.factory(transport, "prefetch=1").createConnection()) {
            a.start();
            b.start();
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = sa.createTopic("work");
            MessageConsumer ca = sa.createSharedConsumer(t, "workers");
            MessageConsumer cb = sb.createSharedConsumer(t, "workers");
            MessageConsumer plain = sa.createConsumer(t);
            publish(sa, t, 0, 40);
            assertThat(drain(40, ca, cb)).hasSize(40);
            for (int i = 0; i < 40; i++) {
                assertThat(plain.receive(5000)).as("a plain subscriber gets its own copy").isNotNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aSharedNonDurableSubscriptionEndsWithItsLastConsumer(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("t");
            MessageConsumer first = s.createSharedConsumer(t, "s");
            MessageConsumer second = s.createSharedConsumer(t, "s");
            first.close();
            publish(s, t, 0, 1);
            assertThat(text(second.receive(5000))).as("the subscription lives while one consumer does").isEqualTo("m0");
            second.close();
            publish(s, t, 1, 2);
            MessageConsumer later = s.createSharedConsumer(t, "s", "JMSPriority > 0");
            assertThat(later.receive(300)).as("m1 was published when the subscription did not exist").isNull();
            publish(s, t, 2, 3);
            assertThat(text(later.receive(5000))).isEqualTo("m2");
            assertThatThrownBy(() -> s.createSharedConsumer(t, "s")).as("another selector while it has consumers")
                    .isInstanceOf(JMSException.class).hasMessageContaining("'s'").hasMessageContaining("selector");
            assertThatThrownBy(() -> s.createSharedConsumer(s.createTopic("u"), "s", "JMSPriority > 0"))
                    .isInstanceOf(JMSException.class).hasMessageContaining("topic 'u'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aSharedDurableSubscriptionKeepsMessagesWithoutConsumersUntilUnsubscribed(String transport)
            throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            try (Connection c = broker.factory(transport, "").createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic t = s.createTopic("t");
                s.createSharedDurableConsumer(t, "kept").close();
                publish(s, t, 0, 3);
            }
            try (Connection a = broker.factory(transport, "prefetch=1").createConnection();
                 Connection b = broker.factory(transport, "prefetch=1").createConnection()) {
                a.start();
                b.start();
                Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic t = sa.createTopic("t");
                MessageConsumer ca = sa.createSharedDurableConsumer(t, "kept");
                MessageConsumer cb = sb.createSharedDurableConsumer(t, "kept");
                publish(sa, t, 3, 30);
                assertThat(drain(30, ca, cb)).contains("m0", "m1", "m2", "m29");
                assertThatThrownBy(() -> sa.unsubscribe("kept")).isInstanceOf(jakarta.jms.IllegalStateException.class);
                ca.close();
                cb.close();
                sb.unsubscribe("kept");
                assertThatThrownBy(() -> sb.unsubscribe("kept")).isInstanceOf(InvalidDestinationException.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void namesAreScopedByClientIdAndDurableNamesAreNotSharedWithUnsharedOnes(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection withId = broker.factory(transport, "").createConnection();
             Connection withoutId = broker.factory(transport, "").createConnection()) {
            withId.setClientID("scoped");
            withId.start();
            withoutId.start();
            Session s = withId.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session anon = withoutId.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("t");
            MessageConsumer mine = s.createSharedDurableConsumer(t, "name");
            MessageConsumer theirs = anon.createSharedDurableConsumer(t, "name");
            MessageConsumer nonDurable = s.createSharedConsumer(t, "name");
            publish(s, t, 0, 1);
            assertThat(text(mine.receive(5000))).isEqualTo("m0");
            assertThat(text(theirs.receive(5000))).as("no client id: another subscription").isEqualTo("m0");
            assertThat(text(nonDurable.receive(5000))).as("non-durable names are a namespace of their own")
                    .isEqualTo("m0");
            assertThatThrownBy(() -> s.createDurableConsumer(t, "name")).isInstanceOf(JMSException.class)
                    .hasMessageContaining("a shared durable subscription of that name and client id exists");
            mine.close();
            s.unsubscribe("name");
            MessageConsumer unshared = s.createDurableConsumer(t, "name");
            assertThatThrownBy(() -> s.createSharedDurableConsumer(t, "name")).isInstanceOf(JMSException.class)
                    .hasMessageContaining("an unshared durable subscription of that name and client id exists");
            unshared.close();
            s.unsubscribe("name");
            theirs.close();
            anon.unsubscribe("name");
        }
    }

    @Test
    void aSharedDurableSubscriptionWithoutConsumersIsReplacedByAnotherSelector() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext ctx = broker.factory("vm", "").createContext()) {
            Topic t = ctx.createTopic("t");
            ctx.createSharedDurableConsumer(t, "d").close();
            ctx.createProducer().send(t, "old");
            JMSConsumer replaced = ctx.createSharedDurableConsumer(t, "d", "JMSPriority = 9");
            assertThat(replaced.receive(300)).isNull();
            ctx.createProducer().setPriority(9).send(t, "new");
            assertThat(replaced.receiveBody(String.class, 5000)).isEqualTo("new");
            assertThatThrownBy(() -> ctx.createSharedDurableConsumer(t, "d")).isInstanceOf(JMSRuntimeException.class);
            JMSConsumer shared = ctx.createSharedConsumer(t, "n");
            ctx.createProducer().send(t, "plain");
            assertThat(shared.receiveBody(String.class, 5000)).isEqualTo("plain");
            replaced.close();
            ctx.unsubscribe("d");
        }
    }
}
