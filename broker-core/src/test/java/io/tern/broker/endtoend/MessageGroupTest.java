package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JMSXGroupID: every message of a group goes to one consumer while it lives, then moves to another. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageGroupTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aGroupStaysWithOneConsumerUntilItCloses(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "prefetch=1").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("grouped");
            MessageConsumer first = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            MessageConsumer second = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            c.start();
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 30; i++) {
                Message m = s.createTextMessage("m" + i);
                m.setStringProperty("JMSXGroupID", "g" + (i % 3));
                m.setIntProperty("JMSXGroupSeq", i / 3 + 1);
                p.send(m);
            }
            Map<String, MessageConsumer> ownerOf = new HashMap<>();
            Map<MessageConsumer, List<String>> got = new HashMap<>();
            int received = 0;
            while (received < 20) {
                for (MessageConsumer consumer : new MessageConsumer[] {first, second}) {
                    Message m = consumer.receive(100);
                    if (m == null) {
                        continue;
                    }
                    received++;
                    String group = m.getStringProperty("JMSXGroupID");
                    MessageConsumer owner = ownerOf.putIfAbsent(group, consumer);
                    assertThat(owner == null || owner == consumer).as("group %s changed consumer", group).isTrue();
                    got.computeIfAbsent(consumer, k -> new ArrayList<>()).add(QueueMessagingTest.text(m));
                }
            }
            assertThat(got).as("both consumers got groups").hasSize(2);

            // the first consumer goes away: its groups move to the second, which gets the rest of every group
            List<String> firstGroups = ownerOf.entrySet().stream().filter(e -> e.getValue() == first)
                    .map(Map.Entry::getKey).toList();
            first.close();
            int rest = 0;
            java.util.Set<String> movedTo = new java.util.HashSet<>();
            Message m;
            while ((m = second.receive(1000)) != null) {
                rest++;
                movedTo.add(m.getStringProperty("JMSXGroupID"));
            }
            assertThat(received + rest).as("every message once").isEqualTo(30);
            assertThat(firstGroups).isNotEmpty();
            assertThat(movedTo).as("the closed consumer's groups moved on").containsAll(firstGroups);
        }
    }
}
