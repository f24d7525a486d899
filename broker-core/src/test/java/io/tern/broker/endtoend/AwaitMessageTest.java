package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernMessageConsumer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TernMessageConsumer#awaitMessage}: waiting for a message without taking it (the resource adapter begins
 * a delivery transaction only once one is there).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AwaitMessageTest {
    @TempDir
    Path dataDir;

    @Test
    void awaitMessageWaitsForAMessageWithoutTakingIt() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("idle");
            TernMessageConsumer consumer = (TernMessageConsumer) s.createConsumer(q);

            assertThat(consumer.awaitMessage(200)).as("nothing on the queue").isFalse();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.awaitMessage(30_000);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection p = broker.factory("tcp", "").createConnection()) {
                Session ps = p.createSession(false, Session.AUTO_ACKNOWLEDGE);
                ps.createProducer(q).send(ps.createTextMessage("arrived"));
            }
            assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(consumer.awaitMessage(0)).as("still there: awaiting took nothing").isTrue();
            Message m = consumer.receiveNoWait();
            assertThat(((TextMessage) m).getText()).isEqualTo("arrived");
            assertThat(consumer.awaitMessage(100)).isFalse();

            consumer.close();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> consumer.awaitMessage(100)))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
    }
}
