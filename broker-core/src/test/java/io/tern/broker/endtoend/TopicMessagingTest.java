package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Topics with non-durable subscribers through the JMS API. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicMessagingTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void everySubscriberGetsEveryMessagePublishedAfterItSubscribed(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("news");
            MessageProducer p = s.createProducer(t);
            p.send(s.createTextMessage("before anyone listened"));
            MessageConsumer a = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(t);
            MessageConsumer b = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(t);
            c.start();
            for (int i = 0; i < 50; i++) {
                p.send(s.createTextMessage("n" + i));
            }
            for (MessageConsumer consumer : new MessageConsumer[] {a, b}) {
                for (int i = 0; i < 50; i++) {
                    assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("n" + i);
                }
                assertThat(consumer.receiveNoWait()).isNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void noLocalSubscribersDoNotHearTheirOwnConnection(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection own = broker.factory(transport, "").createConnection();
             Connection other = broker.factory(transport, "").createConnection()) {
            Session s = own.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("chatter");
            MessageConsumer local = s.createConsumer(t, null, true);
            own.start();
            s.createProducer(t).send(s.createTextMessage("mine"));
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(t).send(os.createTextMessage("theirs"));
            assertThat(QueueMessagingTest.text(local.receive(5000))).isEqualTo("theirs");
            assertThat(local.receive(200)).isNull();
        }
    }
}
