package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's W1 shape (one synchronous producer of persistent 1 KiB messages, one AUTO_ACKNOWLEDGE consumer) on the
 * journal, counting forces rather than timing: each send needs its add forced before it returns, and nothing else
 * should need a force of its own (the consumer's acknowledgements ride the next add's). Prints the figures; asserts
 * only the structure (well under two forces a message), never a rate.
 */
@Timeout(120)
class JournalForcesPerMessageTest {
    private static final int MESSAGES = 1000;

    @TempDir
    Path dir;

    @Test
    void aSynchronousProducerAndAnAutoAcknowledgingConsumerCostAboutOneForcePerMessage() throws Exception {
        BrokerConfig config = BrokerConfig.builder().name("forces").host("127.0.0.1").port(0).dataDir(dir)
                .heartbeatMillis(0).build();
        try (JournalStore store = JournalStore.open(dir.resolve("journal"), JournalOptions.defaults());
             Broker broker = new Broker(config, store)) {
            broker.start();
            TernConnectionFactory factory = new TernConnectionFactory("tcp://127.0.0.1:" + broker.port());
            try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
                CountDownLatch received = new CountDownLatch(MESSAGES);
                Session cs = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
                cs.createConsumer(cs.createQueue("w1")).setMessageListener(m -> received.countDown());
                consuming.start();
                Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = ps.createProducer(ps.createQueue("w1"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                byte[] body = new byte[1024];
                long forces = store.forceCount();
                long batches = store.batchCount();
                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    BytesMessage m = ps.createBytesMessage();
                    m.writeBytes(body);
                    producer.send(m);
                }
                assertThat(received.await(60, TimeUnit.SECONDS)).isTrue();
                long elapsed = System.nanoTime() - start;
                await().atMost(Duration.ofSeconds(30)).until(() -> store.count("w1") == 0);
                double forcesPerMessage = (store.forceCount() - forces) / (double) MESSAGES;
                double batchesPerMessage = (store.batchCount() - batches) / (double) MESSAGES;
                System.out.printf("W1 shape on the journal: %d messages, %.2f forces and %.2f batches a message, "
                        + "%.0f msg/s here%n", MESSAGES, forcesPerMessage, batchesPerMessage,
                        MESSAGES / (elapsed / 1e9));
                assertThat(forcesPerMessage).isLessThan(1.5);
            }
        }
    }
}
