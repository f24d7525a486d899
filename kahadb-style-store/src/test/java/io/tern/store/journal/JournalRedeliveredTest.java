package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message a consumer received before the broker stopped comes back flagged JMSRedelivered after the restart, with
 * a delivery count above 1; one that never left the broker does not. (The crash case, SIGKILL, is
 * {@code crash.KillNineTest}.)
 */
@Timeout(60)
class JournalRedeliveredTest {
    @TempDir
    Path dir;

    private BrokerConfig config() {
        return ConfigLoader.fromOptions(Map.of("store", "journal"), "test",
                BrokerConfig.builder().name("redelivered").port(0).dataDir(dir).heartbeatMillis(0));
    }

    @Test
    void whatAConsumerReceivedBeforeARestartIsFlaggedAndTheRestIsNot() throws Exception {
        try (Broker broker = new Broker(config())) {
            broker.start();
            Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port() + "?prefetch=1")
                    .createConnection();
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("work"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 1; i <= 6; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            MessageConsumer consumer = s.createConsumer(s.createQueue("work"));
            assertThat(text(consumer.receive(5000))).isEqualTo("m1");
            assertThat(text(consumer.receive(5000))).isEqualTo("m2");
            // no acknowledge: the broker stops with m1 and m2 (and perhaps the prefetched m3) out for delivery
        }
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (Connection c = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port()).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("work"));
                Map<String, Message> got = new LinkedHashMap<>();
                Message m;
                while ((m = consumer.receive(2000)) != null) {
                    got.put(text(m), m);
                }
                assertThat(got.keySet()).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
                for (String seen : new String[] {"m1", "m2"}) {
                    assertThat(got.get(seen).getJMSRedelivered()).as(seen).isTrue();
                    assertThat(got.get(seen).getIntProperty("JMSXDeliveryCount")).as(seen).isGreaterThan(1);
                }
                for (String never : new String[] {"m4", "m5", "m6"}) {
                    assertThat(got.get(never).getJMSRedelivered()).as(never).isFalse();
                    assertThat(got.get(never).getIntProperty("JMSXDeliveryCount")).as(never).isEqualTo(1);
                }
            }
        }
    }

    private static String text(Message m) throws JMSException {
        assertThat(m).as("a message").isNotNull();
        return ((TextMessage) m).getText();
    }
}
