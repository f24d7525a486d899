package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness works end to end, on Tern only and for a fraction of a second per scenario: the runner forks
 * a broker and a driver from the Tern module's classpath file, the driver runs every workload and its result line
 * parses, and the report is written. No figure is asserted: they mean nothing here.
 */
class TernSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyScenarioRunsOnTernAndIsReported(@TempDir Path out) throws Exception {
        Path root = Path.of(System.getProperty("bench.root", ".."));
        RunOptions options = RunOptions.parse("-root", root.toString(), "-out", out.toString(), "-rounds", "1",
                "-warmup", "0.2", "-measure", "0.5", "-providers", "tern");
        Runner runner = new Runner(options);

        List<Sample> samples = runner.run();
        Path report = runner.write(runner.report(samples));

        assertThat(samples).hasSize(Scenario.all().length);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.failure()).as("%s on %s", s.scenario(), s.provider()).isNull();
            assertThat(s.result().messages()).as("messages moved in %s", s.scenario()).isPositive();
        });
        assertThat(Files.readString(report)).contains("## Tern against the best peer", "request-reply");
        assertThat(out.resolve("bench-data")).isEmptyDirectory();
    }
}
