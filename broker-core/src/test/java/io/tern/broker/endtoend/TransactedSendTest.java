package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends in a transaction do not wait for the broker one by one; commit waits for all of them, and a send the broker
 * refused rolls the whole transaction back.
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
