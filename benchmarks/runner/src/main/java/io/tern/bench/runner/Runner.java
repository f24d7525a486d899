package io.tern.bench.runner;

import io.tern.bench.driver.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every scenario on every provider, round after round (A B C, A B C, ...), each broker and driver in its own
 * JVM on that provider's classpath, with the physical limits measured at the start and the end. Prints the Markdown
 * report and writes it, with chart.png, to {@code RESULTS/<date>/}; each JVM's output goes to {@code OUT/logs/}.
 */
public final class Runner {
    private final RunOptions options;
    private final LocalDateTime started = LocalDateTime.now();
    private final String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final List<DiskProbe.Limits> disk = new ArrayList<>();
    private LoopbackProbe.Limit loopback;
    private long elapsedNanos;
    /**
     * The source tree as the run began, just after {@code ./tern bench} built what it measures: edits made while a
     * long run goes on are not in its jars, so the report must not name them.
     */
    private final String tree;

    Runner(RunOptions options) {
        this.options = options;
        this.tree = MachineInfo.tree(options.root());
    }

    public static void main(String[] args) throws IOException {
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(RunOptions.usage());
            System.exit(2);
            return;
        }
        Runner runner = new Runner(options);
        List<Sample> samples = runner.run();
        Report report = runner.report(samples);
        System.out.println(report.markdown());
        Path dir = runner.write(report);
        System.err.println("bench: results written to " + dir + " (logs in " + options.out().resolve("logs") + ")");
        System.exit(samples.stream().allMatch(Sample::ok) ? 0 : 1);
    }

    List<Sample> run() {
        long start = System.nanoTime();
        probeLimits("start");
        List<Sample> samples = new ArrayList<>();
        int total = options.rounds() * options.providers().size() * options.scenarios().size();
        BrokerRuns runs = new BrokerRuns(options, stamp, sample -> {
            samples.add(sample);
            System.err.printf(Locale.ROOT, "bench: [%d/%d] %s round %d %s: %s%n", samples.size(), total,
                    sample.scenario(), sample.round(), sample.provider(), summary(sample));
        });
        if (options.brokers() == RunOptions.Brokers.SHARED) {
            runShared(runs);
        } else {
            runFresh(runs);
        }
        probeLimits("end");
        elapsedNanos = System.nanoTime() - start;
        System.err.printf(Locale.ROOT, "bench: the run took %s%n", duration());
        return samples;
    }

    /** Scenario by scenario, each round of it, each provider in turn; the backlog where it first appears. */
    private void runFresh(BrokerRuns runs) {
        boolean backlogDone = false;
        for (Scenario scenario : options.scenarios()) {
            if (scenario.needsBacklog()) {
                if (!backlogDone) {
                    eachRoundAndProvider(runs::backlog);
                    backlogDone = true;
                }
                continue;
            }
            eachRoundAndProvider((round, provider) -> runs.fresh(scenario, round, provider));
        }
    }

    /** Round by round, each provider in turn: one broker for the footprint and every window, then the backlog. */
    private void runShared(BrokerRuns runs) {
        List<Scenario> onShared = new ArrayList<>();
        if (options.selected(Scenario.FOOTPRINT)) {
            onShared.add(Scenario.FOOTPRINT);
        }
        options.scenarios().stream().filter(Scenario::windowed).forEach(onShared::add);
        boolean backlog = options.scenarios().stream().anyMatch(Scenario::needsBacklog);
        for (int round = 1; round <= options.rounds(); round++) {
            for (ProviderSpec provider : options.providers()) {
                if (!onShared.isEmpty()) {
                    runs.shared(onShared, round, provider);
                }
                if (backlog) {
                    runs.backlog(round, provider);
                }
            }
        }
    }

    /** One step of a run: a round and a provider. */
    @FunctionalInterface
    private interface Step {
        void run(int round, ProviderSpec provider);
    }

    private void eachRoundAndProvider(Step step) {
        for (int round = 1; round <= options.rounds(); round++) {
            for (ProviderSpec provider : options.providers()) {
                step.run(round, provider);
            }
        }
    }

    /** The disk's limits (null when the probe failed) and, at the start, loopback's. */
    private void probeLimits(String when) {
        try {
            DiskProbe.Limits limits = DiskProbe.measure(options.data(), options.probeMillis());
            System.err.println("bench: disk at the " + when + ": " + limits.describe());
            disk.add(limits);
        } catch (IOException e) {
            System.err.println("bench: disk probe failed in " + options.data() + ": " + e.getMessage());
            disk.add(null);
        }
        if (loopback == null) {
            try {
                loopback = LoopbackProbe.measure(options.probeMillis());
                System.err.println("bench: loopback: " + loopback.describe());
            } catch (IOException e) {
                System.err.println("bench: loopback probe failed: " + e.getMessage());
            }
        }
    }

    Report report(List<Sample> samples) {
        String header = MachineInfo.describe(stamp, tree)
                + String.format(Locale.ROOT, "The run took %s.%n", duration());
        return new Report(options, samples, header, new PhysicalLimits(disk, loopback));
    }

    /** Writes results.md and chart.png to a new {@code <date>} directory under the results directory. */
    Path write(Report report) throws IOException {
        Path dir = ResultsDir.create(options.results(), started);
        Files.writeString(dir.resolve("results.md"), report.markdown());
        Chart.write(report.comparisons(), "Run " + stamp + ", " + options.rounds() + " round(s).",
                dir.resolve(Report.CHART));
        return dir;
    }

    private String duration() {
        long seconds = Math.round(elapsedNanos / 1e9);
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private static String summary(Sample sample) {
        if (!sample.ok()) {
            return "FAILED " + sample.failure();
        }
        if (sample.result() != null) {
            var r = sample.result();
            return String.format(Locale.ROOT, "%,.0f msg/s, p50 %.2f ms, p99 %.2f ms (others %.2f cores, load %.2f)",
                    r.rate(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.host().otherCores(),
                    r.host().load1());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : sample.figures().entrySet()) {
            parts.add(String.format(Locale.ROOT, "%s=%,.1f", e.getKey(), e.getValue()));
        }
        return String.join(" ", parts);
    }
}
