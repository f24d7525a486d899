package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness works end to end, on Tern only and at tiny sizes: the runner forks brokers and drivers from
 * the Tern module's classpath file, every workload runs (a backlog of 2,000 messages survives a SIGKILL, 50 idle
 * connections), the result lines parse, and results.md and chart.png are written. No figure is asserted beyond
 * "something moved": they mean nothing here. The windows are long enough (1 s warm-up, 2 s measured) that a transacted
 * batch of 100 still completes in one when the machine is loaded (0.5 s windows saw nothing move under a load of 14).
 */
class TernSmokeTest {
    private static final Path ROOT = Path.of(System.getProperty("bench.root", ".."));

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyScenarioRunsOnTernOnFreshBrokersAndIsReported(@TempDir Path out) throws Exception {
        Runner runner = new Runner(RunOptions.parse("-root", ROOT.toString(), "-out", out.toString(), "-results",
                out.resolve("results").toString(), "-rounds", "1", "-warmup", "1", "-measure", "2",
                "-backlog", "2000", "-connections", "50", "-settle", "0.1", "-probe", "0.2", "-providers", "tern"));

        List<Sample> samples = runner.run();
        Path dir = runner.write(runner.report(samples));

        assertThat(samples).extracting(Sample::scenario)
                .containsExactlyInAnyOrderElementsOf(List.of(Scenario.all()).stream().map(Scenario::id).toList());
        assertThat(samples).allSatisfy(s -> assertThat(s.failure()).as("%s on %s", s.scenario(), s.provider())
                .isNull());
        samples.stream().filter(s -> s.result() != null).forEach(s -> assertThat(s.result().messages())
                .as("messages moved in %s", s.scenario()).isPositive());
        assertThat(figure(samples, Scenario.BACKLOG, Figures.FILL_RATE)).isPositive();
        assertThat(figure(samples, Scenario.BACKLOG, Figures.DRAIN_RATE)).isPositive();
        assertThat(figure(samples, Scenario.RECOVERY, Figures.RECOVERY_MS)).isPositive();
        assertThat(figure(samples, Scenario.RECOVERY, Figures.RECEIVED)).as("every stored message after the kill")
                .isEqualTo(2000.0);
        assertThat(figure(samples, Scenario.FOOTPRINT, Figures.START_MS)).isPositive();
        assertThat(figure(samples, Scenario.FOOTPRINT, Figures.CONNECTIONS)).isEqualTo(50.0);
        assertThat(Files.readString(dir.resolve("results.md"))).contains("## Tern against the peers",
                "request-reply", "topic-1x8", "## backlog: medians over rounds", "## footprint: medians over rounds",
                "- Loopback: ");
        assertThat(ImageIO.read(dir.resolve("chart.png").toFile())).isNotNull();
        assertThat(out.resolve("bench-data")).isEmptyDirectory();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSharedBrokerServesTheFootprintThenEveryWindow(@TempDir Path out) throws Exception {
        Runner runner = new Runner(RunOptions.parse("-root", ROOT.toString(), "-out", out.toString(), "-results",
                out.resolve("results").toString(), "-quick", "-warmup", "0.2", "-measure", "0.5", "-connections",
                "20", "-settle", "0.1", "-probe", "0.2", "-providers", "tern", "-scenarios",
                "persistent-1x1,footprint,topic-1x8"));

        List<Sample> samples = runner.run();

        assertThat(samples).extracting(Sample::scenario).containsExactly("footprint", "persistent-1x1",
                "topic-1x8");
        assertThat(samples).allSatisfy(s -> assertThat(s.failure()).as(s.scenario()).isNull());
        assertThat(Files.list(out.resolve("logs")).filter(p -> p.toString().endsWith("-broker.log")).count())
                .as("one broker JVM").isEqualTo(1);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void pacedProducersSendAtTheRateGivenAndTheReportSaysSo(@TempDir Path out) throws Exception {
        Runner runner = new Runner(RunOptions.parse("-root", ROOT.toString(), "-out", out.toString(), "-results",
                out.resolve("results").toString(), "-shared-broker", "-rounds", "1", "-warmup", "1", "-measure", "2",
                "-probe", "0.2", "-providers", "tern", "-scenarios", "non-persistent-1x1,transacted-100",
                "-rate", "1000"));

        List<Sample> samples = runner.run();
        Path dir = runner.write(runner.report(samples));

        assertThat(samples).hasSize(2).allSatisfy(s -> {
            assertThat(s.failure()).as(s.scenario()).isNull();
            // Unpaced, Tern moves tens of thousands a second here; paced, no more than was sent (plus what the
            // warm-up's last moments delivered late), and something.
            assertThat(s.result().rate()).as("%s msg/s at 1,000 msg/s", s.scenario()).isPositive()
                    .isLessThanOrEqualTo(1_250.0);
        });
        assertThat(Files.readString(dir.resolve("results.md"))).contains("Paced: the producers of each queue and "
                + "topic window sent 1,000 messages a second in all");
    }

    private static double figure(List<Sample> samples, Scenario scenario, String key) {
        return samples.stream().filter(s -> s.scenario().equals(scenario.id())).findFirst().orElseThrow()
                .figure(key);
    }
}
