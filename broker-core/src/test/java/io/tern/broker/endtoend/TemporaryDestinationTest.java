package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Temporary destinations live as long as their connection, and only it may consume from them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TemporaryDestinationTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void onlyTheOwnerConsumesAndDeleteWaitsForItsConsumersToClose(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.autoCreateDestinations(false));
             Connection owner = broker.factory(transport, "").createConnection();
             Connection other = broker.factory(transport, "").createConnection()) {
            Session s = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue tq = s.createTemporaryQueue();
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> os.createConsumer(tq)).isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("only that connection may consume");
            os.createProducer(tq).send(os.createTextMessage("to the owner"));

            MessageConsumer consumer = s.createConsumer(tq);
            owner.start();
            assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("to the owner");
            assertThatThrownBy(tq::delete).isInstanceOf(IllegalStateException.class).hasMessageContaining("consumer");
            consumer.close();
            tq.delete();
            assertThatThrownBy(() -> os.createProducer(tq).send(os.createTextMessage("too late")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("does not exist");

            TemporaryTopic tt = s.createTemporaryTopic();
            MessageConsumer topicConsumer = s.createConsumer(tt);
            os.createProducer(tt).send(os.createTextMessage("fan"));
            assertThat(QueueMessagingTest.text(topicConsumer.receive(5000))).isEqualTo("fan");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aTemporaryQueueEndsWithItsConnection(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection other = broker.factory(transport, "").createConnection()) {
            Connection owner = broker.factory(transport, "").createConnection();
            TemporaryQueue tq = owner.createSession(false, Session.AUTO_ACKNOWLEDGE).createTemporaryQueue();
            Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(tq).send(os.createTextMessage("while it lives"));
            owner.close();
            assertThatThrownBy(() -> os.createProducer(tq).send(os.createTextMessage("after")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(tq::delete).isInstanceOf(IllegalStateException.class);
        }
    }
}
