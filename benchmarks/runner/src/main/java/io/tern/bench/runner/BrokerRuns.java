package io.tern.bench.runner;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.ProcStatus;
import io.tern.bench.driver.Result;
import io.tern.bench.driver.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the runner does with a provider's broker JVMs: a timed window or the footprint on a fresh broker, every
 * window on one shared broker, and the backlog that is filled, survives a SIGKILL and is drained. Each measurement
 * becomes a {@link Sample}, handed to the progress listener as soon as it exists; a failure becomes a failed sample
 * that names the log to read, never an exception.
 */
final class BrokerRuns {
    private static final long DRIVER_GRACE_SECONDS = 90;
    /** A backlog phase may take this long per message on top of the grace: 500 msg/s at the slowest. */
    private static final long BACKLOG_MESSAGES_PER_SECOND = 500;
    /** The longest each disk probe beside a window runs. */
    private static final long WINDOW_PROBE_MILLIS = 1000;

    private final RunOptions options;
    private final JavaFork fork;
    private final String stamp;
    private final Consumer<Sample> progress;

    BrokerRuns(RunOptions options, String stamp, Consumer<Sample> progress) {
        this.options = options;
        this.fork = new JavaFork(options.root());
        this.stamp = stamp;
        this.progress = progress;
    }

    /**
     * A windowed scenario, or the footprint, on a fresh broker. A window of a scenario whose sends each wait for a
     * force of the disk also gets the disk's rate beside it ({@link Sample#DISK_FORCES}), probed just before the
     * broker starts and just after it stops: on a machine whose disk speeds up and slows down between windows, that
     * is what tells whether two providers' windows of one round met the same disk.
     */
    Sample fresh(Scenario scenario, int round, ProviderSpec provider) {
        String name = name(scenario.id(), round, provider);
        Path data = options.data().resolve(name);
        double before = forcesEachSend(scenario) ? diskForces() : Double.NaN;
        Sample sample;
        try (BrokerProcess broker = start(provider, data, name + "-broker", BrokerProcess.START_SECONDS)) {
            sample = on(broker, scenario, round, provider);
        } catch (IOException | RuntimeException e) {
            sample = Sample.failed(scenario.id(), round, provider.name(), String.valueOf(e.getMessage()));
        } finally {
            delete(data);
        }
        if (sample.ok() && !Double.isNaN(before)) {
            double after = diskForces();
            if (!Double.isNaN(after)) {
                sample = sample.withFigure(Sample.DISK_FORCES, (before + after) / 2);
            }
        }
        return done(sample);
    }

    /** Whether each send of {@code scenario} waits for a force of the disk before the next: its rate is the disk's. */
    static boolean forcesEachSend(Scenario scenario) {
        return scenario.windowed() && scenario.persistent() && scenario.batch() == 0 && !scenario.asyncSend();
    }

    /** Forced writes per second into a zero-filled file on the data disk, for at most a second; NaN if it failed. */
    private double diskForces() {
        try {
            return DiskProbe.forcedPerSecond(options.data(), Math.min(options.probeMillis(), WINDOW_PROBE_MILLIS));
        } catch (IOException e) {
            System.err.println("bench: disk probe beside a window failed in " + options.data() + ": " + e.getMessage());
            return Double.NaN;
        }
    }

    /**
     * The footprint (first, while the broker is fresh) and then every window in {@code scenarios} on one broker JVM;
     * the windows share one driver JVM too, one after the other.
     */
    List<Sample> shared(List<Scenario> scenarios, int round, ProviderSpec provider) {
        String name = name("shared", round, provider);
        Path data = options.data().resolve(name);
        List<Sample> samples = new ArrayList<>();
        try (BrokerProcess broker = start(provider, data, name + "-broker", BrokerProcess.START_SECONDS)) {
            if (scenarios.contains(Scenario.FOOTPRINT)) {
                Sample sample;
                try {
                    sample = on(broker, Scenario.FOOTPRINT, round, provider);
                } catch (IOException | RuntimeException e) {
                    sample = Sample.failed(Scenario.FOOTPRINT.id(), round, provider.name(),
                            String.valueOf(e.getMessage()));
                }
                samples.add(done(sample));
            }
            List<Scenario> windows = scenarios.stream().filter(Scenario::windowed).toList();
            if (!windows.isEmpty()) {
                windows(broker, windows, round, provider).forEach(s -> samples.add(done(s)));
            }
        } catch (IOException | RuntimeException e) {
            for (Scenario scenario : scenarios.subList(samples.size(), scenarios.size())) {
                samples.add(done(Sample.failed(scenario.id(), round, provider.name(),
                        "the shared broker failed: " + e.getMessage())));
            }
        } finally {
            delete(data);
        }
        return samples;
    }

    /** Every window in {@code windows}, one after the other in one driver JVM on a running broker. */
    private List<Sample> windows(BrokerProcess broker, List<Scenario> windows, int round, ProviderSpec provider) {
        Path log = log(name("windows", round, provider) + "-driver.log");
        List<String> command = fork.driver(provider, String.join(",", windows.stream().map(Scenario::id).toList()),
                broker.port(), broker.pid(), options.windowArgs());
        long limit = windows.size() * (TimeUnit.MILLISECONDS.toSeconds(options.warmupMillis()
                + options.measureMillis()) + 10) + DRIVER_GRACE_SECONDS;
        List<Sample> samples = new ArrayList<>();
        Output output;
        try {
            output = drive(command, log, limit);
        } catch (IOException e) {
            windows.forEach(w -> samples.add(Sample.failed(w.id(), round, provider.name(), e.getMessage())));
            return samples;
        }
        for (Scenario window : windows) {
            String result = output.line(Result.PREFIX + " scenario=" + window.id() + " ");
            if (result != null) {
                samples.add(Sample.measured(window.id(), round, provider.name(), Result.parse(result)));
            } else {
                String failed = output.line(Result.FAILED + " scenario=" + window.id() + " ");
                samples.add(Sample.failed(window.id(), round, provider.name(), (failed != null
                        ? failed.substring(Result.FAILED.length() + 1) : "no result") + "; see " + log));
            }
        }
        return samples;
    }

    /**
     * The stored backlog: a fresh broker, {@link RunOptions#backlog()} messages sent with nobody consuming; then,
     * when {@code recovery} is selected, the broker killed with SIGKILL and started again on the same store (its
     * start to ready is the recovery time); then every message drained from the broker that holds them. Yields a
     * {@code backlog} sample (fill and drain rates, RSS after the fill, peak RSS over the broker JVMs) and a
     * {@code recovery} sample (ready after the kill, RSS then, time to the first message, messages received), each
     * when selected.
     */
    List<Sample> backlog(int round, ProviderSpec provider) {
        boolean recovery = options.selected(Scenario.RECOVERY);
        String name = name("backlog", round, provider);
        Path data = options.data().resolve(name);
        Map<String, Double> w6 = new LinkedHashMap<>();
        Map<String, Double> w7 = new LinkedHashMap<>();
        BrokerProcess filler = null;
        BrokerProcess recovered = null;
        try {
            filler = start(provider, data, name + "-broker", BrokerProcess.START_SECONDS);
            Figures fill = phase(filler, provider, "fill", name);
            w6.put(Figures.MESSAGES, fill.get(Figures.MESSAGES));
            w6.put(Figures.FILL_RATE, fill.get(Figures.FILL_RATE));
            w6.put(Figures.FILL_RSS_MIB, ProcStatus.mib(ProcStatus.rssKib(filler.pid())));
            long peak = ProcStatus.peakRssKib(filler.pid());
            BrokerProcess drainer = filler;
            if (recovery) {
                filler.kill();
                recovered = start(provider, data, name + "-recovered-broker", recoverySeconds());
                w7.put(Figures.RECOVERY_MS, recovered.startMillis());
                w7.put(Figures.RECOVERED_RSS_MIB, ProcStatus.mib(ProcStatus.rssKib(recovered.pid())));
                drainer = recovered;
            }
            Figures drain = phase(drainer, provider, "drain", name);
            w6.put(Figures.DRAIN_RATE, drain.get(Figures.DRAIN_RATE));
            w6.put(Figures.PEAK_RSS_MIB, ProcStatus.mib(Math.max(peak, ProcStatus.peakRssKib(drainer.pid()))));
            w7.put(Figures.FIRST_MESSAGE_MS, drain.get(Figures.FIRST_MESSAGE_MS));
            w7.put(Figures.RECEIVED, drain.get(Figures.RECEIVED));
            return backlogSamples(round, provider, w6, w7, null);
        } catch (IOException | RuntimeException e) {
            return backlogSamples(round, provider, w6, w7, String.valueOf(e.getMessage()));
        } finally {
            close(filler);
            close(recovered);
            delete(data);
        }
    }

    private List<Sample> backlogSamples(int round, ProviderSpec provider, Map<String, Double> w6,
            Map<String, Double> w7, String failure) {
        List<Sample> samples = new ArrayList<>();
        if (options.selected(Scenario.BACKLOG)) {
            samples.add(done(failure == null ? Sample.figures(Scenario.BACKLOG.id(), round, provider.name(), w6)
                    : Sample.failed(Scenario.BACKLOG.id(), round, provider.name(), failure)));
        }
        if (options.selected(Scenario.RECOVERY)) {
            samples.add(done(failure == null ? Sample.figures(Scenario.RECOVERY.id(), round, provider.name(), w7)
                    : Sample.failed(Scenario.RECOVERY.id(), round, provider.name(), failure)));
        }
        return samples;
    }

    /** A window or the footprint on a running broker. */
    private Sample on(BrokerProcess broker, Scenario scenario, int round, ProviderSpec provider) throws IOException {
        String name = name(scenario.id(), round, provider);
        if (scenario.kind() == Scenario.Kind.FOOTPRINT) {
            List<String> command = fork.driver(provider, scenario.id(), broker.port(), broker.pid(),
                    List.of("-connections", Integer.toString(options.connections()), "-settle-ms",
                            Long.toString(options.settleMillis())));
            long limit = DRIVER_GRACE_SECONDS + 2 * TimeUnit.MILLISECONDS.toSeconds(options.settleMillis())
                    + options.connections() / 50;
            Figures figures = Figures.parse(drive(command, log(name + "-driver.log"), limit, Figures.PREFIX));
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(Figures.START_MS, broker.startMillis());
            values.putAll(figures.values());
            return Sample.figures(scenario.id(), round, provider.name(), values);
        }
        List<String> command = fork.driver(provider, scenario.id(), broker.port(), broker.pid(),
                options.windowArgs());
        long limit = TimeUnit.MILLISECONDS.toSeconds(options.warmupMillis() + options.measureMillis())
                + DRIVER_GRACE_SECONDS;
        return Sample.measured(scenario.id(), round, provider.name(),
                Result.parse(drive(command, log(name + "-driver.log"), limit, Result.PREFIX)));
    }

    private Figures phase(BrokerProcess broker, ProviderSpec provider, String phase, String name)
            throws IOException {
        List<String> command = fork.driver(provider, Scenario.BACKLOG.id(), broker.port(), broker.pid(),
                List.of("-phase", phase, "-messages", Long.toString(options.backlog())));
        long limit = DRIVER_GRACE_SECONDS + options.backlog() / BACKLOG_MESSAGES_PER_SECOND;
        return Figures.parse(drive(command, log(name + "-" + phase + "-driver.log"), limit, Figures.PREFIX));
    }

    /** How long a broker may take to recover the backlog: a minute, plus a second per 1,000 messages. */
    private long recoverySeconds() {
        return Math.max(BrokerProcess.START_SECONDS, 60 + options.backlog() / 1_000);
    }

    private BrokerProcess start(ProviderSpec provider, Path data, String logName, long startSeconds)
            throws IOException {
        Path jfr = options.jfr() ? log(logName + ".jfr") : null;
        return BrokerProcess.start(fork.broker(provider, data, jfr), log(logName + ".log"), startSeconds);
    }

    /** What a driver JVM printed, and how it exited. */
    private record Output(int exitCode, List<String> lines) {
        /** The first line that starts with {@code prefix}, or null. */
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        }
    }

    /** Runs a driver JVM to its end and returns its line that starts with {@code prefix}. */
    private String drive(List<String> command, Path log, long limitSeconds, String prefix) throws IOException {
        Output output = drive(command, log, limitSeconds);
        String line = output.line(prefix + " ");
        if (line == null) {
            throw new IOException("the driver exited with code " + output.exitCode() + " and no result; see " + log);
        }
        return line;
    }

    /** Runs a driver JVM, its output going to {@code log}, and fails when it takes longer than the limit. */
    private static Output drive(List<String> command, Path log, long limitSeconds) throws IOException {
        Files.createDirectories(log.getParent());
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!driver.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("the driver did not finish within " + limitSeconds + " s; see " + log);
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        // ISO-8859-1 reads any byte; the lines that matter are ASCII.
        return new Output(driver.exitValue(), Files.readAllLines(log, StandardCharsets.ISO_8859_1));
    }

    private Sample done(Sample sample) {
        progress.accept(sample);
        return sample;
    }

    private String name(String what, int round, ProviderSpec provider) {
        return String.format(Locale.ROOT, "%s-%s-r%d-%s", stamp, what, round, provider.name());
    }

    private Path log(String file) {
        return options.out().resolve("logs").resolve(file);
    }

    private static void close(BrokerProcess broker) {
        if (broker != null) {
            broker.close();
        }
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
