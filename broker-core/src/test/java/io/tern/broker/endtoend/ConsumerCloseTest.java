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
import java.util.concurrent.CountDownLatch;
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
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            MessageConsumer consumer = s.createConsumer(q);
            consumer.setMessageListener(m -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            c.start();
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(q).send(s.createTextMessage("hold"));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                try {
                    consumer.close();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200); // a window in which close must still be waiting; nothing to await for an absence
            assertThat(closing).as("close waits while onMessage runs").isNotDone();
            release.countDown();
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
