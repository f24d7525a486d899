package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalOptionsTest {
    @Test
    void theCheckpointIntervalComesFromItsKeyAndDefaultsTo5Seconds() {
        assertThat(JournalOptions.from(Map.of()).checkpointIntervalMs()).isEqualTo(5000);
        assertThat(JournalOptions.from(Map.of("journal.checkpoint-interval-ms", "250")).checkpointIntervalMs())
                .isEqualTo(250);
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.checkpoint-interval-ms", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal.checkpoint-interval-ms");
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.checkpoint-interval-ms", "soon")))
                .hasMessageContaining("journal.checkpoint-interval-ms=soon");
    }

    @Test
    void theSpinTimeComesFromItsKeyDefaultsTo100MicrosAndIsBounded() {
        assertThat(JournalOptions.from(Map.of()).spinMicros()).isEqualTo(100);
        assertThat(JournalOptions.from(Map.of("journal.spin-micros", "0")).spinMicros()).isZero();
        assertThat(JournalOptions.from(Map.of("journal.spin-micros", "1000")).spinMicros()).isEqualTo(1000);
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.spin-micros", "1001")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal.spin-micros 1001");
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.spin-micros", "-1")))
                .hasMessageContaining("journal.spin-micros -1");
        assertThat(JournalOptions.defaults().withSpinMicros(0).withMaxFileSize(8192).spinMicros()).isZero();
    }

    @Test
    void aNumberBeyondAnIntIsRefusedNamingItsKeyNotWrappedRound() {
        // -4294967295 narrowed to an int is 1, which every interval would accept.
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.sync-interval-ms", "-4294967295")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journal.sync-interval-ms=-4294967295 is out of range");
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.checkpoint-interval-ms", " 4294967297 ")))
                .hasMessage("journal.checkpoint-interval-ms=4294967297 is out of range");
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.compact-below-percent", "4294967306")))
                .hasMessageContaining("journal.compact-below-percent=4294967306");
        assertThatThrownBy(() -> JournalOptions.from(Map.of("journal.spin-micros", "-4294967196")))
                .hasMessageContaining("journal.spin-micros=-4294967196");
        assertThat(JournalOptions.from(Map.of("journal.sync-interval-ms", String.valueOf(Integer.MAX_VALUE)))
                .syncIntervalMs()).isEqualTo(Integer.MAX_VALUE);
    }
}
