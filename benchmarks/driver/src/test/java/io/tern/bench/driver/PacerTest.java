package io.tern.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    private long now = 5_000_000_000L;
    private final List<Long> parks = new ArrayList<>();

    private Pacer pacer(double rate, int producers) {
        return Pacer.of(rate, producers, () -> now, nanos -> {
            parks.add(nanos);
            now += nanos;
        });
    }

    @Test
    void eachProducerSendsItsShareOnAFixedScheduleAndStampsTheScheduledTime() {
        Pacer pacer = pacer(1_000, 2);
        long start = now;

        assertThat(pacer.paced()).isTrue();
        assertThat(pacer.next()).isEqualTo(start);
        assertThat(pacer.next()).as("1,000 msg/s for two producers: one each 2 ms").isEqualTo(start + 2_000_000);
        assertThat(now).isEqualTo(start + 2_000_000);
        now += 500_000;
        assertThat(pacer.next()).isEqualTo(start + 4_000_000);
        assertThat(parks).containsExactly(2_000_000L, 1_500_000L);
    }

    @Test
    void aLateProducerSendsWhatIsDueBackToBackAndItsLatenessCountsAsLatency() {
        Pacer pacer = pacer(10_000, 1);
        long start = now;
        pacer.next();
        now += 1_000_000;

        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stamps.add(pacer.next());
        }

        assertThat(parks).as("nothing to wait for while behind").isEmpty();
        assertThat(stamps.get(0)).isEqualTo(start + 100_000);
        assertThat(stamps.get(9)).isEqualTo(start + 1_000_000);
        assertThat(pacer.next()).isEqualTo(start + 1_100_000);
        assertThat(parks).containsExactly(100_000L);
    }

    @Test
    void aRestartForgetsTheLagAndStartsTheScheduleFromNow() {
        Pacer pacer = pacer(1_000, 1);
        pacer.next();
        now += 3_000_000_000L;

        pacer.restart();

        long restarted = now;
        assertThat(pacer.next()).isEqualTo(restarted);
        assertThat(pacer.next()).isEqualTo(restarted + 1_000_000);
        assertThat(parks).containsExactly(1_000_000L);
    }

    @Test
    void withoutARateItStampsTheTimeOfTheSendAndNeverWaits() {
        Pacer pacer = pacer(0, 4);

        assertThat(pacer.paced()).isFalse();
        assertThat(pacer.next()).isEqualTo(now);
        now += 7;
        assertThat(pacer.next()).isEqualTo(now);
        assertThat(parks).isEmpty();
    }

    @Test
    void aWaitTooShortForAWakeUpIsNotParked() {
        Pacer pacer = pacer(100_000, 1);
        long start = now;
        pacer.next();
        now += 5_000;

        assertThat(pacer.next()).as("due in 5 us: sent now, stamped with its time").isEqualTo(start + 10_000);
        assertThat(parks).isEmpty();
    }

    @Test
    void aNegativeOrEndlessRateIsRefused() {
        assertThatThrownBy(() -> Pacer.of(-1, 1)).hasMessageContaining("not -1.0");
        assertThatThrownBy(() -> Pacer.of(Double.POSITIVE_INFINITY, 1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Pacer.of(Double.NaN, 1)).hasMessageContaining(">= 0");
    }
}
