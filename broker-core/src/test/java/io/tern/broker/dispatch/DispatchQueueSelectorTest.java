package io.tern.broker.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.NoSource;
import io.tern.broker.testing.RecordingSubscriber;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.WireDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selector side of {@link DispatchQueue}, without a broker: which consumer gets which entry. */
class DispatchQueueSelectorTest {
    private static final WireDestination Q = WireDestination.queue("q");

    private final List<QueueEntry> expired = new ArrayList<>();
    private final DispatchQueue queue = new DispatchQueue(new NoSource(), expired::add);
    private long sequence;

    private QueueEntry entry(String text, int priority, long expiration, Map<String, Object> properties) {
        byte[] envelope = Messages.to(Q).priority(priority).expiration(expiration).properties(properties).text(text);
        return new QueueEntry(new BrokerMessage(MessageEnvelope.parse(envelope), null), ++sequence);
    }

    private QueueEntry entry(String text, String k) {
        return entry(text, 4, 0, Map.of("k", k));
    }

    @Test
    void eachConsumerGetsOnlyItsMatchesInDispatchOrderAndTheRestWait() throws Exception {
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        queue.attach(a, 10, MessageFilter.parse("k = 'a'"));
        queue.attach(b, 10, MessageFilter.parse("k = 'b'"));
        queue.enqueue(entry("a1", "a"));
        queue.enqueue(entry("c1", "c"));
        queue.enqueue(entry("b1", "b"));
        queue.enqueue(entry("a2", "a"));
        queue.enqueue(entry("high-b", 9, 0, Map.of("k", "b")));
        assertThat(a.texts()).containsExactly("a1", "a2");
        assertThat(b.texts()).containsExactly("b1", "high-b");
        assertThat(queue.pendingCount()).isEqualTo(1);

        RecordingSubscriber any = new RecordingSubscriber();
        queue.attach(any, 10);
        queue.dispatch();
        assertThat(any.texts()).containsExactly("c1");
    }

    @Test
    void expiredEntriesMetDuringASelectiveScanAreDroppedAndReported() throws Exception {
        QueueEntry stale = entry("stale", 4, System.currentTimeMillis() - 1, Map.of("k", "x"));
        queue.enqueue(entry("other", "x"));
        queue.enqueue(stale);
        queue.enqueue(entry("wanted", "a"));
        RecordingSubscriber a = new RecordingSubscriber();
        queue.attach(a, 10, MessageFilter.parse("k = 'a'"));
        queue.dispatch();
        assertThat(a.texts()).containsExactly("wanted");
        assertThat(expired).containsExactly(stale);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void anEntryGivenBackBeforeAConsumersCursorIsTestedAgainWithItsNewDeliveryCount() throws Exception {
        RecordingSubscriber retry = new RecordingSubscriber();
        queue.attach(retry, 10, MessageFilter.parse("JMSXDeliveryCount > 1"));
        QueueEntry first = entry("first", "x");
        queue.enqueue(first);
        queue.enqueue(entry("second", "x"));
        assertThat(retry.texts()).isEmpty();

        RecordingSubscriber plain = new RecordingSubscriber();
        DispatchQueue.Attachment plainAttachment = queue.attach(plain, 1);
        queue.dispatch();
        assertThat(plain.texts()).containsExactly("first");
        queue.detach(plainAttachment);
        queue.giveBack(first, true);
        assertThat(retry.texts()).containsExactly("first");
        assertThat(retry.delivered.get(0).deliveryCount()).isEqualTo(2);
    }

    @Test
    void creditLimitsASelectiveConsumerAndNewCreditResumesAfterItsLastMatch() throws Exception {
        RecordingSubscriber a = new RecordingSubscriber();
        DispatchQueue.Attachment attachment = queue.attach(a, 1, MessageFilter.parse("k LIKE 'a%'"));
        for (int i = 0; i < 5; i++) {
            queue.enqueue(entry("x" + i, "x"));
            queue.enqueue(entry("a" + i, "a"));
        }
        assertThat(a.texts()).containsExactly("a0");
        queue.addCredit(attachment, 2);
        assertThat(a.texts()).containsExactly("a0", "a1", "a2");
        queue.enqueue(entry("urgent-a", 9, 0, Map.of("k", "a")));
        queue.addCredit(attachment, 10);
        assertThat(a.texts()).containsExactly("a0", "a1", "a2", "urgent-a", "a3", "a4");
        assertThat(queue.pendingCount()).isEqualTo(5);
    }
}
