package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connection-level behaviour against a real broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionBehaviourTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aClientIdIsUniqueOnTheBroker(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection first = broker.factory(transport, "").createConnection()) {
            first.setClientID("app-1");
            assertThat(first.getClientID()).isEqualTo("app-1");
            assertThatThrownBy(() -> first.setClientID("again")).isInstanceOf(jakarta.jms.IllegalStateException.class);
            try (Connection second = broker.factory(transport, "").createConnection()) {
                assertThatThrownBy(() -> second.setClientID("app-1")).isInstanceOf(InvalidClientIDException.class)
                        .hasMessageContaining("app-1");
            }
            assertThatThrownBy(() -> broker.factory(transport, "clientId=app-1").createConnection())
                    .isInstanceOf(InvalidClientIDException.class);
        }
    }

    @Test
    void theClientIdCannotBeSetAfterTheConnectionIsUsed() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> c.setClientID("late")).isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void credentialsAreChecked(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.users(Map.of("alice", "s3cret")))) {
            TernConnectionFactory f = broker.factory(transport, "");
            assertThatThrownBy(() -> f.createConnection("alice", "wrong")).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(f::createConnection).isInstanceOf(JMSSecurityException.class);
            try (Connection ok = f.createConnection("alice", "s3cret")) {
                assertThat(ok.createSession(false, Session.AUTO_ACKNOWLEDGE)).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void withoutAutoCreateAnUnknownDestinationIsInvalid(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.autoCreateDestinations(false)
                .queues(java.util.List.of("known")));
             Connection c = broker.factory(transport, "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("unknown")).send(s.createTextMessage("x")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("unknown");
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("unknown")))
                    .isInstanceOf(InvalidDestinationException.class);
            s.createProducer(s.createQueue("known")).send(s.createTextMessage("fine"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void theExceptionListenerHearsOfALostBrokerAndReceiveReturnsNull(String transport) throws Exception {
        TestBroker broker = TestBroker.start(dataDir);
        Connection c = broker.factory(transport, "").createConnection();
        try {
            CompletableFuture<JMSException> heard = new CompletableFuture<>();
            c.setExceptionListener(heard::complete);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("waiting"));
            c.start();
            CompletableFuture<Object> receive = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try {
                    receive.complete(consumer.receive());
                } catch (JMSException e) {
                    receive.complete(e);
                }
            });
            receiver.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == Thread.State.TIMED_WAITING
                    || receiver.getState() == Thread.State.WAITING);
            broker.close();
            assertThat(heard.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(receive.get(10, TimeUnit.SECONDS)).isNull();
            assertThatThrownBy(() -> s.createProducer(s.createQueue("q")))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class);
        } finally {
            c.close();
            c.close();
        }
    }

    @Test
    void aBrokerThatIsNotThereGivesAClearError() {
        assertThatThrownBy(() -> new TernConnectionFactory("tcp://127.0.0.1:1?connectTimeout=2000").createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("tcp://127.0.0.1:1");
        assertThatThrownBy(() -> new TernConnectionFactory("vm://nobody-here?create=false").createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("nobody-here");
        assertThatThrownBy(() -> new TernConnectionFactory("tcp://127.0.0.1:61616?prefetsh=5").createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("prefetsh");
    }

    @Test
    void vmStartsABrokerOnFirstUse() throws Exception {
        TernConnectionFactory f = new TernConnectionFactory("vm://started-on-demand");
        try (Connection a = f.createConnection(); Connection b = f.createConnection()) {
            Session sa = a.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sa.createProducer(sa.createQueue("q")).send(sa.createTextMessage("via the embedded broker"));
            b.start();
            Session sb = b.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(QueueMessagingTest.text(sb.createConsumer(sb.createQueue("q")).receive(5000)))
                    .isEqualTo("via the embedded broker");
        }
    }

    @Test
    void metadataNamesTheProviderAndTheJmsVersion() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            assertThat(c.getMetaData().getJMSProviderName()).isEqualTo("Tern");
            assertThat(c.getMetaData().getJMSVersion()).isEqualTo("3.1");
            assertThat(java.util.Collections.list(c.getMetaData().getJMSXPropertyNames()))
                    .contains("JMSXDeliveryCount");
        }
    }
}
