package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When held AUTO_ACKNOWLEDGE acknowledgements go, on a clock the test moves: a full batch, the oldest reaching the
 * maximum age, or a message taken after a pause of that long.
 */
class PendingAcksTest {
    private static final long MAX_AGE = 50;

    private final AtomicLong now = new AtomicLong(1_000);
    private final PendingAcks acks = new PendingAcks(4, MAX_AGE, now::get);

    @Test
    void messagesInQuickSuccessionGoAFullBatchAtATime() {
        assertThat(acks.addAndTake(1)).isNull();
        assertThat(acks.addAndTake(2)).isNull();
        assertThat(acks.addAndTake(3)).isNull();
        assertThat(acks.addAndTake(4)).containsExactly(1, 2, 3, 4);
        assertThat(acks.isEmpty()).isTrue();
        assertThat(acks.addAndTake(5)).isNull();
        assertThat(acks.isEmpty()).isFalse();
    }

    @Test
    void theHeldOnesGoWithTheNextOnceTheOldestIsTheMaximumAge() {
        assertThat(acks.addAndTake(1)).isNull();
        now.addAndGet(30);
        assertThat(acks.addAndTake(2)).isNull();
        now.addAndGet(30);
        assertThat(acks.addAndTake(3)).as("1 was held 60").containsExactly(1, 2, 3);
    }

    @Test
    void aMessageTakenAfterAPauseIsAcknowledgedAtOnceWithWhatIsHeld() {
        now.addAndGet(MAX_AGE);
        assertThat(acks.addAndTake(1)).as("the first, a pause after the session began").containsExactly(1);
        now.addAndGet(1);
        assertThat(acks.addAndTake(2)).isNull();
        now.addAndGet(MAX_AGE);
        assertThat(acks.addAndTake(3)).containsExactly(2, 3);
        now.addAndGet(MAX_AGE + 1);
        assertThat(acks.addAndTake(4)).as("a slow consumer acknowledges each message").containsExactly(4);
    }

    @Test
    void takeAllWithAndTakeAllEmptyWhatIsHeldInOrder() {
        acks.addAndTake(1);
        acks.addAndTake(2);
        assertThat(acks.takeAllWith(3)).containsExactly(1, 2, 3);
        assertThat(acks.takeAll()).isEmpty();
        acks.addAndTake(4);
        assertThat(acks.takeAll()).containsExactly(4);
        assertThat(acks.isEmpty()).isTrue();
    }
}
