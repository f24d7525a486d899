package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.QueueMessagingTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unshared durable subscriptions (JMS 3.1, 6.11.1 and 8.3.2) through the JMS API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurableSubscriptionTest {
    @TempDir
    Path dataDir;

    private static Connection connect(TestBroker broker, String transport, String clientId) throws JMSException {
        Connection c = broker.factory(transport, "").createConnection();
        c.setClientID(clientId);
        c.start();
        return c;
    }

    private static void publish(Session s, Topic t, String... texts) throws JMSException {
        MessageProducer p = s.createProducer(t);
        for (String text : texts) {
            p.send(s.createTextMessage(text));
        }
        p.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void messagesPublishedWhileTheSubscriberIsAwayAreKeptForIt(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            try (Connection c = connect(broker, transport, "reader")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic t = s.createTopic("events");
                TopicSubscriber sub = s.createDurableSubscriber(t, "audit");
                assertThat(sub.getTopic()).isEqualTo(t);
                publish(s, t, "online");
                assertThat(text(sub.receive(5000))).isEqualTo("online");
                sub.close();
                publish(s, t, "away-1", "away-2");
            }
            try (Connection other = broker.factory(transport, "").createConnection()) {
                Session s = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
                publish(s, s.createTopic("events"), "away-3");
            }
            try (Connection c = connect(broker, transport, "reader")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer again = s.createDurableConsumer(s.createTopic("events"), "audit");
                assertThat(text(again.receive(5000))).isEqualTo("away-1");
                assertThat(text(again.receive(5000))).isEqualTo("away-2");
                assertThat(text(again.receive(5000))).isEqualTo("away-3");
                assertThat(again.receive(200)).isNull();
                again.close();
                s.unsubscribe("audit");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void oneActiveConsumerAtATimeAndAClientIdIsRequired(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = connect(broker, transport, "solo");
             Connection anonymous = broker.factory(transport, "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("t");
            MessageConsumer first = s.createDurableConsumer(t, "only-one");
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> other.createDurableConsumer(t, "only-one"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'only-one'").hasMessageContaining("'solo'")
                    .hasMessageContaining("active consumer");
            first.close();
            other.createDurableConsumer(t, "only-one").close();

            Session anon = anonymous.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> anon.createDurableSubscriber(t, "needs-id"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("client id");
            assertThatThrownBy(() -> s.createDurableConsumer(null, "x")).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createDurableConsumer(t, "x", "a = ", false))
                    .isInstanceOf(InvalidSelectorException.class);
            assertThatThrownBy(() -> s.createDurableConsumer(anon.createTemporaryTopic(), "tmp"))
                    .isInstanceOf(InvalidDestinationException.class);
            s.unsubscribe("only-one");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void anotherSelectorOrTopicReplacesTheSubscriptionAndDropsItsMessages(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = connect(broker, transport, "changer")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("prices");
            s.createDurableConsumer(t, "sub", "region = 'EU'", false).close();
            Message eu = s.createTextMessage("eu-before");
            eu.setStringProperty("region", "EU");
            Message us = s.createTextMessage("us-before");
            us.setStringProperty("region", "US");
            MessageProducer p = s.createProducer(t);
            p.send(eu);
            p.send(us);
            // Same definition: the kept message is there.
            MessageConsumer same = s.createDurableConsumer(t, "sub", "region = 'EU'", false);
            assertThat(text(same.receive(5000))).isEqualTo("eu-before");
            same.close();
            p.send(eu);
            // Another selector: a new subscription; "eu-before" sent again above is gone with the old one.
            MessageConsumer changed = s.createDurableConsumer(t, "sub", "region = 'US'", false);
            assertThat(changed.receive(300)).isNull();
            p.send(us);
            assertThat(text(changed.receive(5000))).isEqualTo("us-before");
            changed.close();
            p.send(us);
            // Another topic: replaced again.
            MessageConsumer moved = s.createDurableConsumer(s.createTopic("other"), "sub", "region = 'US'", false);
            assertThat(moved.receive(300)).isNull();
            moved.close();
            s.unsubscribe("sub");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void unsubscribeDeletesTheSubscriptionOnlyWhenNothingUsesIt(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = connect(broker, transport, "leaver")) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic("t");
            MessageConsumer consumer = s.createDurableConsumer(t, "sub");
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> other.unsubscribe("sub")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'sub'").hasMessageContaining("active consumer");
            publish(other, t, "one");
            Message unacked = consumer.receive(5000);
            consumer.close();
            assertThatThrownBy(() -> other.unsubscribe("sub")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not yet acknowledged");
            unacked.acknowledge();
            publish(other, t, "dropped with the subscription");
            other.unsubscribe("sub");
            assertThatThrownBy(() -> other.unsubscribe("sub")).isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("'sub'").hasMessageContaining("'leaver'");
            MessageConsumer fresh = other.createDurableConsumer(t, "sub");
            assertThat(fresh.receive(300)).as("a new subscription starts empty").isNull();
            fresh.close();
            other.unsubscribe("sub");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void noLocalSkipsMessagesOfTheSameClientIdEvenFromAnEarlierConnection(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            try (Connection c = connect(broker, transport, "self")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableSubscriber(s.createTopic("t"), "others-only", null, true).close();
                publish(s, s.createTopic("t"), "mine, while away");
            }
            try (Connection stranger = broker.factory(transport, "").createConnection()) {
                Session s = stranger.createSession(false, Session.AUTO_ACKNOWLEDGE);
                publish(s, s.createTopic("t"), "theirs");
            }
            try (Connection c = connect(broker, transport, "self")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TopicSubscriber sub = s.createDurableSubscriber(s.createTopic("t"), "others-only", null, true);
                assertThat(sub.getNoLocal()).isTrue();
                publish(s, s.createTopic("t"), "mine, online");
                assertThat(text(sub.receive(5000))).isEqualTo("theirs");
                assertThat(sub.receive(300)).isNull();
                sub.close();
                s.unsubscribe("others-only");
            }
        }
    }

    @Test
    void theSimplifiedApiMapsEachRuleToItsRuntimeException() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext ctx = broker.factory("vm", "clientId=ctx").createContext()) {
            Topic t = ctx.createTopic("t");
            JMSConsumer consumer = ctx.createDurableConsumer(t, "d");
            ctx.createProducer().send(t, "hello");
            assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("hello");
            assertThatThrownBy(() -> ctx.createDurableConsumer(t, "d")).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> ctx.unsubscribe("d")).isInstanceOf(IllegalStateRuntimeException.class);
            consumer.close();
            ctx.unsubscribe("d");
        }
    }
}
