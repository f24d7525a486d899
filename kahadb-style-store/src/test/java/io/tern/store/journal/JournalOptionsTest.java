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
}
