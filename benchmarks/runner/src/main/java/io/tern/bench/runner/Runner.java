package io.tern.bench.runner;

import io.tern.bench.driver.Result;
import io.tern.bench.driver.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs every scenario on every provider, round after round (A B C, A B C, ...): for each window a fresh broker JVM
 * and a fresh driver JVM, each on that provider's classpath. Prints the Markdown report and writes it to
 * {@code OUT/results-TIMESTAMP.md}; each JVM's output goes to {@code OUT/logs/}.
 */
public final class Runner {
    private static final long DRIVER_GRACE_SECONDS = 90;

    private final RunOptions options;
    private final JavaFork fork;
    private final List<DiskProbe.Limits> disk = new ArrayList<>();
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));

    Runner(RunOptions options) {
        this.options = options;
        this.fork = new JavaFork(options.root());
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
        String report = runner.report(samples);
        System.out.println(report);
        Path file = runner.write(report);
        System.err.println("bench: report written to " + file);
        System.exit(samples.stream().allMatch(Sample::ok) ? 0 : 1);
    }

    List<Sample> run() {
        disk.add(probeDisk("start"));
        List<Sample> samples = new ArrayList<>();
        int total = options.scenarios().size() * options.rounds() * options.providers().size();
        for (Scenario scenario : options.scenarios()) {
            for (int round = 1; round <= options.rounds(); round++) {
                for (ProviderSpec provider : options.providers()) {
                    Sample sample = window(scenario, round, provider);
                    samples.add(sample);
                    System.err.printf(Locale.ROOT, "bench: [%d/%d] %s round %d %s: %s%n", samples.size(), total,
                            scenario.id(), round, provider.name(), sample.ok() ? summary(sample.result())
                                    : "FAILED " + sample.failure());
                }
            }
        }
        disk.add(probeDisk("end"));
        return samples;
    }

    /** The disk's limits, or null when the probe could not run (the report says so). */
    private DiskProbe.Limits probeDisk(String when) {
        try {
            DiskProbe.Limits limits = DiskProbe.measure(options.data(), Math.min(2000, options.measureMillis()));
            System.err.println("bench: disk at the " + when + ": " + limits.describe());
            return limits;
        } catch (IOException e) {
            System.err.println("bench: disk probe failed in " + options.data() + ": " + e.getMessage());
            return null;
        }
    }

    String report(List<Sample> samples) {
        return new Report(options, samples, MachineInfo.describe(stamp), disk).markdown();
    }

    Path write(String report) {
        try {
            Files.createDirectories(options.out());
            return Files.writeString(options.out().resolve("results-" + stamp + ".md"), report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + options.out(), e);
        }
    }

    private Sample window(Scenario scenario, int round, ProviderSpec provider) {
        String name = String.format(Locale.ROOT, "%s-%s-r%d-%s", stamp, scenario.id(), round, provider.name());
        Path logs = options.out().resolve("logs");
        Path data = options.data().resolve(name);
        try (BrokerProcess broker = BrokerProcess.start(fork.broker(provider, data,
                options.jfr() ? logs.resolve(name + "-broker.jfr") : null), logs.resolve(name + "-broker.log"))) {
            List<String> command = fork.driver(provider, scenario.id(), broker.port(), broker.pid(),
                    options.warmupMillis(), options.measureMillis());
            return Sample.measured(scenario.id(), round, provider.name(), drive(command,
                    logs.resolve(name + "-driver.log")));
        } catch (IOException | RuntimeException e) {
            return Sample.failed(scenario.id(), round, provider.name(), String.valueOf(e.getMessage()));
        } finally {
            delete(data);
        }
    }

    private Result drive(List<String> command, Path log) throws IOException {
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = TimeUnit.MILLISECONDS.toSeconds(options.warmupMillis() + options.measureMillis())
                + DRIVER_GRACE_SECONDS;
        try {
            if (!driver.waitFor(limit, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("the driver did not finish within " + limit + " s; see " + log);
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.startsWith(Result.PREFIX + " ")).findFirst().map(Result::parse)
                    .orElseThrow(() -> new IOException("the driver exited with code " + driver.exitValue()
                            + " and no result; see " + log));
        }
    }

    private static String summary(Result r) {
        return String.format(Locale.ROOT, "%,.0f msg/s, p50 %.2f ms, p99 %.2f ms (others %.2f cores, load %.2f)",
                r.rate(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.host().otherCores(), r.host().load1());
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
