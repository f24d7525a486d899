package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends in a transaction do not wait for the broker one by one, and the commit follows them without waiting for
 * their answers: the broker commits only after handling every send written before the commit, and a send it refused
 * rolls the whole transaction back at the commit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactedSendTest {
    @TempDir
    Path dataDir;

    @Test
    void aRefusedSendRollsTheTransactionBackAtCommit() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.autoCreateDestinations(false)
                .queues(List.of("known")));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(null);
            p.send(tx.createQueue("known"), tx.createTextMessage("would be fine"));
            p.send(tx.createQueue("unknown"), tx.createTextMessage("refused"));
            assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                    .hasMessageContaining("unknown");
            assertThat(broker.broker().queueDepth("known")).as("nothing of the transaction took effect").isZero();

            p.send(tx.createQueue("known"), tx.createTextMessage("next transaction"));
            tx.commit();
            assertThat(broker.broker().queueDepth("known")).isEqualTo(1);
        }
    }

    @Test
    void aRefusedSendReturnsWhatTheTransactionConsumedAsRedelivered() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.autoCreateDestinations(false)
                .queues(List.of("in", "out")));
             Connection c = broker.factory("tcp", "").createConnection()) {
            c.start();
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer feed = plain.createProducer(plain.createQueue("in"));
            feed.send(plain.createTextMessage("first"));
            feed.send(plain.createTextMessage("second"));
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue("in"));
            MessageProducer p = tx.createProducer(null);
            Message first = in.receive(5000);
            assertThat(QueueMessagingTest.text(first)).isEqualTo("first");
            p.send(tx.createQueue("out"), tx.createTextMessage("reply"));
            p.send(tx.createQueue("missing"), tx.createTextMessage("refused"));
            assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                    .hasMessageContaining("missing");

            Message again = in.receive(5000);
            assertThat(QueueMessagingTest.text(again)).as("the consumed message comes back first").isEqualTo("first");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(QueueMessagingTest.text(in.receive(5000))).isEqualTo("second");
            tx.commit();
            assertThat(broker.broker().queueDepth("out")).as("the refused transaction sent nothing").isZero();
            assertThat(broker.broker().queueDepth("in")).isZero();
        }
    }

    @Test
    void aCommitBehindASendParkedAtTheStoreLimitWaitsForIt() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.storeLimitBytes(8 * 1024).storeLimitWaitMillis(0));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("bounded");
            MessageProducer fill = s.createProducer(q);
            while (broker.broker().queueDepth("bounded") * 1024L < 8 * 1024) {
                fill.send(LimitSends.kib(s));
            }
            int filled = (int) broker.broker().queueDepth("bounded");
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(q);
            p.send(tx.createTextMessage("in the transaction")); // parked by the broker; the client does not wait
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                try {
                    tx.commit();
                } catch (JMSException e) {
                    throw new CompletionException(e);
                }
            });
            Thread.sleep(300); // a window in which the commit must still wait; nothing to await for an absence
            assertThat(commit).as("the commit waits behind the parked send").isNotDone();

            c.start();
            MessageConsumer consumer = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            assertThat(consumer.receive(5000)).isNotNull();
            commit.get(5, TimeUnit.SECONDS);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < filled; i++) {
                Message m = consumer.receive(5000);
                assertThat(m).isNotNull();
                if (m instanceof TextMessage t) {
                    texts.add(t.getText());
                }
            }
            assertThat(texts).as("the commit took the send parked before it").containsExactly("in the transaction");
        }
    }

    @Test
    void aSendRefusedAtTheStoreLimitRollsBackTheCommitBehindIt() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.storeLimitBytes(4 * 1024).storeLimitWaitMillis(300));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer fill = s.createProducer(s.createQueue("full"));
            LimitSends.sendUntilRefused(fill, s, "store-limit=4096");
            long depth = broker.broker().queueDepth("full");
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(tx.createQueue("full"));
            p.send(LimitSends.kib(tx));
            assertThatThrownBy(tx::commit).isInstanceOf(TransactionRolledBackException.class)
                    .hasMessageContaining("store-limit=4096");
            assertThat(broker.broker().queueDepth("full")).isEqualTo(depth);
        }
    }

    @Test
    void manySendsCommitTogether() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("tcp", "producerWindow=50").createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(tx.createQueue("batch"));
            for (int i = 0; i < 500; i++) {
                p.send(tx.createTextMessage("m" + i));
            }
            tx.commit();
            assertThat(broker.broker().queueDepth("batch")).isEqualTo(500);
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = s.createConsumer(s.createQueue("batch"));
            for (int i = 0; i < 500; i++) {
                assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo("m" + i);
            }
        }
    }
}
