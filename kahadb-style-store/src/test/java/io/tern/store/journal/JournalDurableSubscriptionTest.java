package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code store=journal}, durable subscriptions (shared or not) and their unconsumed persistent messages survive
 * a broker restart; non-persistent messages, consumed messages and deleted subscriptions do not come back.
 */
@Timeout(60)
class JournalDurableSubscriptionTest {
    @TempDir
    Path dir;

    private BrokerConfig config() {
        return ConfigLoader.fromOptions(Map.of("store", "journal", "journal.file-size", "65536"), "test",
                BrokerConfig.builder().name("journal-durable").port(0).dataDir(dir).heartbeatMillis(0));
    }

    private static Connection connect(Broker broker, String clientId) throws JMSException {
        Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port()).createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        c.start();
        return c;
    }

    private static List<String> drain(MessageConsumer consumer) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (Message m = consumer.receive(2000); m != null; m = consumer.receive(300)) {
            texts.add(((TextMessage) m).getText());
            m.acknowledge();
        }
        return texts;
    }

    @Test
    void durableSubscriptionsAndTheirUnconsumedPersistentMessagesSurviveARestart() throws Exception {
        try (Broker first = new Broker(config())) {
            first.start();
            try (Connection c = connect(first, "restarter"); Connection anon = connect(first, null)) {
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Topic t = s.createTopic("t");
                MessageConsumer keep = s.createDurableConsumer(t, "keep", "n >= 1", false);
                s.createDurableConsumer(t, "gone").close();
                Session as = anon.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                as.createSharedDurableConsumer(t, "shared-keep").close();
                MessageProducer p = s.createProducer(t);
                for (int n = 0; n < 5; n++) {
                    Message m = s.createTextMessage("m" + n);
                    m.setIntProperty("n", n);
                    p.send(m);
                }
                Message np = s.createTextMessage("non-persistent");
                np.setIntProperty("n", 9);
                p.send(np, DeliveryMode.NON_PERSISTENT, 4, 0);
                Message m1 = keep.receive(5000);
                assertThat(((TextMessage) m1).getText()).isEqualTo("m1");
                m1.acknowledge();
                keep.close();
                s.unsubscribe("gone");
            }
        }
        try (Broker second = new Broker(config())) {
            second.start();
            try (Connection c = connect(second, "restarter"); Connection anon = connect(second, null)) {
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Topic t = s.createTopic("t");
                MessageConsumer keep = s.createDurableConsumer(t, "keep", "n >= 1", false);
                assertThat(drain(keep)).containsExactly("m2", "m3", "m4");
                Session as = anon.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer shared = as.createSharedDurableConsumer(t, "shared-keep");
                assertThat(drain(shared)).containsExactly("m0", "m1", "m2", "m3", "m4");
                assertThatThrownBy(() -> s.unsubscribe("gone")).isInstanceOf(InvalidDestinationException.class);
                s.createProducer(t).send(s.createTextMessage("after restart"));
                keep.close();
                shared.close();
            }
        }
        try (Broker third = new Broker(config())) {
            third.start();
            try (Connection c = connect(third, "restarter"); Connection anon = connect(third, null)) {
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Topic t = s.createTopic("t");
                MessageConsumer keep = s.createDurableConsumer(t, "keep", "n >= 1", false);
                assertThat(drain(keep)).as("consumed messages do not come back; 'after restart' has no n").isEmpty();
                Session as = anon.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer shared = as.createSharedDurableConsumer(t, "shared-keep");
                assertThat(drain(shared)).containsExactly("after restart");
                keep.close();
                shared.close();
                s.unsubscribe("keep");
                as.unsubscribe("shared-keep");
            }
        }
        try (Broker fourth = new Broker(config())) {
            fourth.start();
            try (Connection c = connect(fourth, "restarter")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThatThrownBy(() -> s.unsubscribe("keep")).as("unsubscribed before the restart")
                        .isInstanceOf(InvalidDestinationException.class);
            }
        }
    }
}
