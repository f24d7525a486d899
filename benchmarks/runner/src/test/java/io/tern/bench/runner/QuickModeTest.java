package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tern bench -quick} as a smoke test of the whole comparison, run by every build: Tern, ActiveMQ Classic and
 * Artemis (default and tuned) each in their own broker JVM, every scenario once, exactly the quick mode's settings
 * but for where the results and logs go. No figure is held to a threshold (quick figures are JIT warm-up on a busy
 * build machine); what is asserted is that every provider ran every scenario, that each kill -9 lost none of the
 * stored backlog, and that the report compares Tern with each peer.
 */
class QuickModeTest {
    private static final Path ROOT = Path.of(System.getProperty("bench.root", ".."));

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void theQuickModeRunsEveryScenarioOnEveryProvider(@TempDir Path out) throws Exception {
        RunOptions options = RunOptions.parse("-root", ROOT.toString(), "-out", out.toString(), "-results",
                out.resolve("results").toString(), "-quick");
        Runner runner = new Runner(options);

        List<Sample> samples = runner.run();
        Report report = runner.report(samples);
        Path dir = runner.write(report);

        List<String> providers = ProviderSpec.all().stream().map(ProviderSpec::name).toList();
        List<String> peers = providers.stream().filter(p -> !p.equals(ProviderSpec.TERN)).toList();
        assertThat(providers).containsExactlyInAnyOrder("tern", "classic", "artemis", "artemis-tuned");
        assertThat(samples).hasSize(providers.size() * Scenario.all().length);
        for (String provider : providers) {
            assertThat(samples.stream().filter(s -> s.provider().equals(provider)).map(Sample::scenario))
                    .as("scenarios run on %s", provider)
                    .containsExactlyInAnyOrderElementsOf(Stream.of(Scenario.all()).map(Scenario::id).toList());
        }
        assertThat(samples).allSatisfy(s -> assertThat(s.failure()).as("%s on %s", s.scenario(), s.provider())
                .isNull());
        samples.stream().filter(s -> s.result() != null).forEach(s -> assertThat(s.result().messages())
                .as("messages moved in %s on %s", s.scenario(), s.provider()).isPositive());
        samples.stream().filter(s -> s.scenario().equals(Scenario.RECOVERY.id())).forEach(s -> assertThat(
                s.figure(Figures.RECEIVED)).as("stored messages received after %s's kill -9", s.provider())
                .isEqualTo((double) options.backlog()));
        samples.stream().filter(s -> s.scenario().equals(Scenario.FOOTPRINT.id())).forEach(s -> assertThat(
                s.figure(Figures.CONNECTIONS)).as("idle connections opened to %s", s.provider())
                .isEqualTo((double) options.connections()));

        List<Comparison> rates = report.comparisons().stream()
                .filter(c -> c.metric().scenario().windowed() && c.metric().key().equals(Figures.RATE)).toList();
        assertThat(rates).hasSize((int) Stream.of(Scenario.all()).filter(Scenario::windowed).count());
        assertThat(rates).allSatisfy(c -> {
            assertThat(c.ratioToBest()).as("Tern ÷ best peer in %s", c.metric().scenario().id()).isPresent();
            assertThat(c.ratioToPeer().keySet()).as("peers compared in %s", c.metric().scenario().id())
                    .containsExactlyInAnyOrderElementsOf(peers);
            assertThat(c.ratioToPeer().values()).allSatisfy(r -> assertThat(r).isPresent());
        });
        assertThat(Files.readString(dir.resolve("results.md"))).contains("## Tern against the peers",
                "Tern ÷ classic", "Tern ÷ artemis", "Tern ÷ artemis-tuned", "- Loopback: ");
        assertThat(ImageIO.read(dir.resolve("chart.png").toFile())).isNotNull();
        try (Stream<Path> logs = Files.list(out.resolve("logs"))) {
            assertThat(logs.map(p -> p.getFileName().toString()).filter(n -> n.contains("-shared-r1-")
                    && n.endsWith("-broker.log"))).as("one shared broker JVM per provider").hasSize(providers.size());
        }
        assertThat(out.resolve("bench-data")).isEmptyDirectory();
    }
}
