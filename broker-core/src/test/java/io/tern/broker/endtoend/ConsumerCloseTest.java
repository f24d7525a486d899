package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Closing a consumer: it waits for a listener that is running, and a receive blocked in it returns null. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerCloseTest {
    @TempDir
    Path dataDir;

    @Test
    void closeWaitsForTheRunningOnMessage() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("slow-listener");
            BlockingListener listener = new BlockingListener();
            MessageConsumer consumer = s.createConsumer(q);
            consumer.setMessageListener(listener);
            c.start();
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(q).send(s.createTextMessage("hold"));
            assertThat(listener.awaitInside()).isTrue();
            CompletableFuture<Void> closing = BlockingListener.onAnotherThread(consumer::close);
            Thread.sleep(200); // a window in which close must still be waiting; nothing to await for an absence
            assertThat(closing).as("close waits while onMessage runs").isNotDone();
            listener.release();
            closing.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReceiveBlockedInAConsumerReturnsNullWhenItIsClosed() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("empty"));
            c.start();
            CompletableFuture<Message> receive = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try {
                    receive.complete(consumer.receive());
                } catch (JMSException e) {
                    receive.completeExceptionally(e);
                }
            });
            receiver.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == Thread.State.TIMED_WAITING
                    || receiver.getState() == Thread.State.WAITING);
            consumer.close();
            assertThat(receive.get(5, TimeUnit.SECONDS)).isNull();
        }
    }
}
