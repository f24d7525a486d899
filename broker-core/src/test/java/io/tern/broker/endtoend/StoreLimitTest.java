package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.LimitSends.kib;
import static io.tern.broker.endtoend.LimitSends.sendUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** At the store's usage limit, persistent sends wait for consumers to free space, then fail naming the limit. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreLimitTest {
    @TempDir
    Path dataDir;

    @Test
    void aPersistentSendWaitsAtTheLimitUntilAConsumerFreesSpace() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.storeLimitBytes(8 * 1024).storeLimitWaitMillis(0));
             Connection c = broker.factory("tcp", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("bounded");
            MessageProducer p = s.createProducer(q);
            int sent = 0;
            while (broker.broker().queueDepth("bounded") * 1024L < 8 * 1024) {
                p.send(kib(s));
                sent++;
            }
            CompletableFuture<Void> waiting = LimitSends.sendInBackground(p, s);
            Thread.sleep(300); // a window in which the send must still wait; nothing to await for an absence
            assertThat(waiting).as("the send waits at the limit").isNotDone();
            c.start();
            Session consumerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(consumerSession.createConsumer(q).receive(5000)).isNotNull();
            waiting.get(5, TimeUnit.SECONDS);
            assertThat(sent).isGreaterThan(1);
            // non-persistent messages never wait for the store
            p.send(kib(s), DeliveryMode.NON_PERSISTENT, 4, 0);
        }
    }

    @Test
    void aSendThatWaitsTooLongIsRefusedNamingTheLimit() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.storeLimitBytes(4 * 1024).storeLimitWaitMillis(300));
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("full"));
            sendUntilRefused(p, s, "store-limit=4096", "queue://full");
            assertThat(broker.broker().queueDepth("full")).isBetween(4, 6);
        }
    }
}
