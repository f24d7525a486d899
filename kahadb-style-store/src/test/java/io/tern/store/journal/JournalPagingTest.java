package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.broker.destination.DestinationStats;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal backlog larger than {@code memory-limit} across restarts: the broker starts holding one page of it and
 * reads the rest from the journal as consumers take messages.
 */
@Timeout(60)
class JournalPagingTest {
    private static final long LIMIT = 64 * 1024;
    private static final long PAGE = LIMIT / 4 + 2048;
    private static final int COUNT = 2000;

    @TempDir
    Path dir;

    private BrokerConfig config() {
        return ConfigLoader.fromOptions(Map.of("store", "journal", "journal.sync", "never",
                "journal.file-size", "1048576", "memory-limit", "64k"), "test",
                BrokerConfig.builder().name("journal-paging").tcpEnabled(false).dataDir(dir).heartbeatMillis(0));
    }

    private static Connection connect() throws JMSException {
        return new TernConnectionFactory("vm://journal-paging?create=false&prefetch=20").createConnection();
    }

    @Test
    void aStoredBacklogIsPagedInLazilyAfterEachRestartAndDrainsInOrder() throws Exception {
        BrokerConfig config = config();
        assertThat(config.memoryLimitBytes()).isEqualTo(LIMIT);
        try (Broker first = new Broker(config)) {
            first.start();
            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("backlog"));
                for (int n = 0; n < COUNT; n++) {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(new byte[1024]);
                    m.setIntProperty("n", n);
                    p.send(m);
                }
            }
            assertThat(first.memory().peakHeldBytes()).isLessThanOrEqualTo(LIMIT);
        }
        try (Broker second = new Broker(config)) {
            second.start();
            DestinationStats stats = second.queueStats("backlog").orElseThrow();
            assertThat(stats.pending()).isEqualTo(COUNT);
            assertThat(stats.paged()).isGreaterThanOrEqualTo(COUNT - (int) (PAGE / 1024));
            assertThat(second.memory().heldBytes()).as("only the first page is read at start")
                    .isLessThanOrEqualTo(PAGE);
            drain(0, COUNT / 2);
            assertThat(second.memory().peakHeldBytes()).isLessThanOrEqualTo(LIMIT + PAGE);
        }
        try (Broker third = new Broker(config)) {
            third.start();
            assertThat(third.queueStats("backlog").orElseThrow().pending()).isEqualTo(COUNT / 2);
            assertThat(third.memory().heldBytes()).isLessThanOrEqualTo(PAGE);
            drain(COUNT / 2, COUNT);
        }
        try (Broker fourth = new Broker(config)) {
            fourth.start();
            assertThat(fourth.queueDepth("backlog")).isZero();
        }
    }

    /** Takes messages {@code from} to {@code to} (exclusive), committing every 10, and checks their order. */
    private static void drain(int from, int to) throws JMSException {
        try (Connection c = connect()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("backlog"));
            for (int n = from; n < to; n++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("message %d", n).isNotNull();
                assertThat(m.getIntProperty("n")).isEqualTo(n);
                if (n % 10 == 9) {
                    s.commit();
                }
            }
            s.commit();
        }
    }
}
