package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsDirTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 14, 7, 9);

    @Test
    void theFirstRunOfADayGetsTheDateThenTheTimeIsAdded(@TempDir Path base) throws Exception {
        assertThat(ResultsDir.create(base, NOW)).isEqualTo(base.resolve("2026-11-25")).isDirectory();
        assertThat(ResultsDir.create(base, NOW)).isEqualTo(base.resolve("2026-11-25-1407")).isDirectory();
        assertThat(ResultsDir.create(base, NOW)).isEqualTo(base.resolve("2026-11-25-140709")).isDirectory();
    }
}
