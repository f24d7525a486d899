package io.tern.broker.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.NoSource;
import io.tern.broker.testing.RecordingSubscriber;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.WireDestination;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead side of {@link DispatchQueue} while its container pages, without a broker: which stored messages
 * beyond the paged-in window a consumer may be given, so that it never gets one before an earlier one it would
 * take that is still in the store.
 */
class DispatchQueueReadAheadTest {
    private static final WireDestination Q = WireDestination.queue("q");
    /** The window: stored ids up to here are paged in. */
    private static final long HORIZON = 200;

    private final DispatchQueue queue = new DispatchQueue(new NoSource(), e -> { });

    /** Stored messages {@code from}..{@code to}: id n has k = 'a' when n is a multiple of 3, else k = 'b'. */
    private static List<QueueEntry> stored(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> {
            byte[] envelope = Messages.to(Q).properties(Map.of("k", n % 3 == 0 ? "a" : "b")).text("m" + n);
            return new QueueEntry(new BrokerMessage(MessageEnvelope.parse(envelope), null), n);
        }).toList();
    }

    @Test
    void aConsumerThatGetsCreditDuringAReadAheadForAnotherIsGivenNothingBeyondWhatWasScannedForIt() throws Exception {
        queue.horizon(HORIZON);
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        DispatchQueue.Attachment aAttachment = queue.attach(a, 0, MessageFilter.parse("k = 'a'"));
        queue.attach(b, 1000, MessageFilter.parse("k = 'b'"));

        // b alone is hungry: the store is read for it from the window up to 350
        List<QueueEntry> forB = queue.pickAhead(stored(201, 350), 200, 350, 1000);
        assertThat(forB).allMatch(e -> e.sequence() % 3 != 0).hasSize(100);
        queue.addAll(forB);
        queue.dispatch();
        assertThat(b.ids()).hasSize(100);

        // a gets credit while the next read for b (from 350) is under way: 201..350 was never scanned for a
        queue.addCredit(aAttachment, 10);
        List<QueueEntry> next = queue.pickAhead(stored(351, 400), 350, 400, 1000);
        assertThat(next).as("only b's matches; a's would overtake 201, 204, ... still in the store")
                .allMatch(e -> e.sequence() % 3 != 0);

        // the next read starts where a's cursor is, the window, and gives a its first matches in order
        assertThat(queue.demand().scanFrom()).isLessThanOrEqualTo(HORIZON);
        List<QueueEntry> forA = queue.pickAhead(stored(201, 400), 200, 400, 1000);
        queue.addAll(forA);
        queue.dispatch();
        assertThat(a.ids()).containsExactly(201L, 204L, 207L, 210L, 213L, 216L, 219L, 222L, 225L, 228L);
    }
}
