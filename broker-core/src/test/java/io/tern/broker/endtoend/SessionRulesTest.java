package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rules of the spec on what a session, its listeners and its callbacks may do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRulesTest {
    @TempDir
    Path dataDir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start(dataDir);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void legacyDomainSessionsRefuseTheOtherDomainsMethods() throws Exception {
        try (QueueConnection qc = broker.factory("vm", "").createQueueConnection();
             TopicConnection tc = broker.factory("vm", "").createTopicConnection()) {
            QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> qs.createTopic("t")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(qs::createTemporaryTopic).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> qs.createDurableSubscriber(null, "d")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> qs.unsubscribe("d")).isInstanceOf(IllegalStateException.class);
            assertThat(qs.createQueue("q").getQueueName()).isEqualTo("q");

            TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> ts.createQueue("q")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(ts::createTemporaryQueue).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> ts.createBrowser(null)).isInstanceOf(IllegalStateException.class);
            assertThat(ts.createTopic("t").getTopicName()).isEqualTo("t");
            assertThatThrownBy(() -> qc.createDurableConnectionConsumer(null, "d", null, null, 1))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aSessionWithAListenerRefusesSynchronousReceive() throws Exception {
        try (Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("a")).setMessageListener(m -> { });
            MessageConsumer other = s.createConsumer(s.createQueue("b"));
            assertThatThrownBy(() -> other.receive(10)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(other::receiveNoWait).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCompletionListenerMayNotCloseItsSessionAndCloseWaitsForIt() throws Exception {
        try (Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("callbacks"));
            CompletableFuture<Exception> refused = new CompletableFuture<>();
            CountDownLatch release = new CountDownLatch(1);
            p.send(s.createTextMessage("x"), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        s.close();
                        refused.complete(null);
                    } catch (Exception e) {
                        refused.complete(e);
                    }
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onException(Message message, Exception exception) {
                    refused.complete(exception);
                }
            });
            assertThat(refused.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                try {
                    s.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(closing).as("close waits for the running callback").isNotDone();
            Thread.sleep(100); // a window in which close must still be waiting; nothing to await for an absence
            assertThat(closing).isNotDone();
            release.countDown();
            closing.get(5, TimeUnit.SECONDS);
        }
    }
}
