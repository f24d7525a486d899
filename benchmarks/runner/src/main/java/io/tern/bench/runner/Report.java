package io.tern.bench.runner;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Result;
import io.tern.bench.driver.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * results.md: the physical limits, Tern against the best peer and each peer on every {@link Metric} (with the
 * chart), medians per scenario and provider, and every measurement with what the rest of the machine was doing, so
 * that a noisy run can be told apart.
 */
final class Report {
    static final String CHART = "chart.png";

    /** The columns of the backlog, recovery and footprint tables: figure key and heading. */
    private static final Map<Scenario, List<String[]>> COLUMNS = Map.of(
            Scenario.BACKLOG, List.of(new String[] {Figures.MESSAGES, "messages"},
                    new String[] {Figures.FILL_RATE, "fill msg/s"},
                    new String[] {Figures.FILL_RSS_MIB, "RSS after fill MiB"},
                    new String[] {Figures.DRAIN_RATE, "drain msg/s"},
                    new String[] {Figures.PEAK_RSS_MIB, "peak RSS MiB"}),
            Scenario.RECOVERY, List.of(new String[] {Figures.RECOVERY_MS, "ready after kill -9 ms"},
                    new String[] {Figures.RECOVERED_RSS_MIB, "RSS when ready MiB"},
                    new String[] {Figures.FIRST_MESSAGE_MS, "first message ms"},
                    new String[] {Figures.RECEIVED, "messages received"}),
            Scenario.FOOTPRINT, List.of(new String[] {Figures.START_MS, "start ms"},
                    new String[] {Figures.IDLE_RSS_MIB, "idle RSS MiB"},
                    new String[] {Figures.CONNECTIONS, "idle connections"},
                    new String[] {Figures.CONNECTED_RSS_MIB, "RSS with them MiB"},
                    new String[] {Figures.KIB_PER_CONNECTION, "KiB per connection"},
                    new String[] {Figures.KIB_PER_CONNECTION_WARM, "KiB per connection, warm"},
                    new String[] {Figures.OPEN_MS, "ms to open them"}));

    private final RunOptions options;
    private final List<Sample> samples;
    private final String header;
    private final PhysicalLimits limits;
    private final List<Comparison> comparisons;

    Report(RunOptions options, List<Sample> samples, String header, PhysicalLimits limits) {
        this.options = options;
        this.samples = samples;
        this.header = header;
        this.limits = limits;
        this.comparisons = Metric.of(options.scenarios()).stream().map(m -> Comparison.of(m, samples, options))
                .toList();
    }

    /** Tern against the peers on every metric of the selected scenarios, in order; chart.png draws these. */
    List<Comparison> comparisons() {
        return comparisons;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Tern benchmark run\n\n").append(header).append('\n');
        md.append(String.format(Locale.ROOT, "Settings: %d round(s); timed windows of %.1f s warm-up and %.1f s "
                + "measured, %s; backlog of %,d messages; footprint with %,d idle connections. Providers in this "
                + "order each round: %s. Brokers run with -Xms512m -Xmx1g, their stores on %s with fsync on; "
                + "1 KiB BytesMessages.%n%n", options.rounds(), options.warmupMillis() / 1000.0,
                options.measureMillis() / 1000.0, options.brokers() == RunOptions.Brokers.SHARED
                        ? "all of a provider's windows on one broker JVM per round (after its footprint)"
                        : "each on a fresh broker JVM", options.backlog(), options.connections(),
                String.join(", ", options.providers().stream().map(ProviderSpec::name).toList()), options.data()));
        if (options.rate() > 0) {
            md.append(String.format(Locale.ROOT, "Paced: the producers of each queue and topic window sent %,.0f "
                    + "messages a second in all, each an equal share on a fixed schedule, and latency counts from each "
                    + "message's scheduled send time; request/reply was not paced. Compare the latencies: the rates "
                    + "only show whether a provider kept up.%n%n", options.rate()));
        }
        appendLimits(md);
        appendComparisons(md);
        appendTargets(md);
        appendWindowMedians(md);
        appendFigureMedians(md);
        appendEveryMeasurement(md);
        return md.toString();
    }

    private void appendLimits(StringBuilder md) {
        md.append("## Physical limits\n\n");
        List<DiskProbe.Limits> disk = limits.disk();
        for (int i = 0; i < disk.size(); i++) {
            String when = i == 0 ? "at the start" : i == disk.size() - 1 ? "at the end" : "during the run";
            DiskProbe.Limits d = disk.get(i);
            md.append("- Data disk ").append(when).append(" (one writer, 1 KiB records): ")
                    .append(d == null ? "not measured (the probe failed)" : d.describe()).append(".\n");
        }
        md.append("- Loopback: ").append(limits.loopback() == null ? "not measured (the probe failed)"
                : limits.loopback().describe()).append(".\n");
        OptionalDouble synced = limits.syncedPerSecond();
        Comparison persistent = headline(Scenario.PERSISTENT_1X1);
        OptionalDouble tern = persistent == null ? OptionalDouble.empty() : persistent.tern();
        if (synced.isPresent() && synced.getAsDouble() > 0 && tern.isPresent()) {
            md.append(String.format(Locale.ROOT, "- Tern's persistent-1x1 reached %.0f%% of the disk's "
                    + "fsync-per-record limit measured in this run (%,.0f/s).%n", 100 * tern.getAsDouble()
                    / synced.getAsDouble(), synced.getAsDouble()));
        }
        OptionalDouble overwritten = limits.overwrittenPerSecond();
        appendCeiling(md, Scenario.PERSISTENT_1X1, 2, overwritten, "one writer forcing each 1 KiB record into a "
                + "zero-filled file reached %,.0f/s");
        appendCeiling(md, Scenario.PERSISTENT_4X4, 4, limits.sharedPerSecond(), DiskProbe.WRITERS + " writers "
                + "sharing forces (each force takes what they wrote; each writer waits for its own record's) reached "
                + "%,.0f/s");
        appendCeiling(md, Scenario.REQUEST_REPLY, 2, overwritten.isPresent()
                ? OptionalDouble.of(overwritten.getAsDouble() / 2) : overwritten, "two forces in sequence a round "
                + "trip allow %,.0f/s (half the zero-filled file's forced writes)");
        md.append('\n');
    }

    /**
     * One line under the limits for a synchronous scenario: the target ({@code times} the best peer's median)
     * beside what the disk gave in this run with no network, client or broker in the way, and Tern's share of that.
     *
     * @param how what gave {@code ceiling}, a clause with one {@code %,.0f} for it
     */
    private void appendCeiling(StringBuilder md, Scenario scenario, int times, OptionalDouble ceiling,
                               String how) {
        Comparison c = headline(scenario);
        if (c == null || c.bestPeer() == null || ceiling.isEmpty() || ceiling.getAsDouble() <= 0) {
            return;
        }
        String unit = c.metric().label();
        double target = times * c.bestValue().getAsDouble();
        double disk = ceiling.getAsDouble();
        md.append(String.format(Locale.ROOT, "- %s: %d× the best peer (%s, %,.0f %s) is %,.0f %s. On this disk, "
                + "with no network, client or broker in the way, %s: the target is %.0f%% of that", scenario.id(),
                times, c.bestPeer(), c.bestValue().getAsDouble(), unit, target, unit,
                String.format(Locale.ROOT, how, disk), 100 * target / disk));
        if (c.tern().isPresent()) {
            md.append(String.format(Locale.ROOT, ", and Tern reached %.0f%%", 100 * c.tern().getAsDouble() / disk));
        }
        md.append(".\n");
    }

    /** The comparison on a scenario's headline metric (its first), or null when the run did not select it. */
    private Comparison headline(Scenario scenario) {
        return comparisons.stream().filter(c -> c.metric().scenario().equals(scenario)).findFirst().orElse(null);
    }

    private void appendComparisons(StringBuilder md) {
        List<ProviderSpec> peers = options.providers().stream().filter(p -> !p.isTern()).toList();
        md.append("## Tern against the peers\n\n![Tern ÷ best peer](").append(CHART).append(")\n\n");
        md.append("| scenario | metric | Tern | best peer | its value | **Tern ÷ best peer** |");
        peers.forEach(p -> md.append(" Tern ÷ ").append(p.name()).append(" |"));
        md.append("\n| --- | --- | ---: | --- | ---: | ---: |");
        peers.forEach(p -> md.append(" ---: |"));
        md.append('\n');
        for (Comparison c : comparisons) {
            Metric m = c.metric();
            md.append(String.format(Locale.ROOT, "| %s | %s %s | %s | %s | %s | **%s**%s |", m.scenario().id(),
                    m.label(), m.better().arrow, m.format(value(c.tern())), c.bestPeer() == null ? "–"
                            : c.bestPeer(), m.format(value(c.bestValue())), ratio(c.ratioToBest()),
                    c.markers()));
            peers.forEach(p -> md.append(' ').append(ratio(c.ratioToPeer().getOrDefault(p.name(),
                    OptionalDouble.empty()))).append(" |"));
            md.append('\n');
        }
        md.append("\n↑: higher is better, so a ratio above 1.00× means Tern did better; ↓: lower is better, so "
                + "below 1.00× means Tern did better. Every ratio is the median of per-round ratios (Tern's "
                + "measurement against the peer's of the same round), so drift of the machine between rounds "
                + "cancels out. The best peer is the peer with the best median, Artemis default and tuned "
                + "included. (noisy): a window of Tern or of the best peer behind that ratio was noisy (see Every "
                + "measurement); do not trust it. (disk moved): in some round the disk forced more than "
                + String.format(Locale.ROOT, "%.2f", Comparison.DISK_MOVED) + " times as fast beside one of the two "
                + "windows as beside the other (the disk column of Every measurement), so that round's ratio is partly "
                + "the disk's. –: no ratio, because a side was not measured or the peer's figure "
                + "was zero or negative in every round (a memory figure is negative when the broker's RSS fell "
                + "meanwhile).\n\n");
    }

    private void appendTargets(StringBuilder md) {
        Targets targets = new Targets(options, comparisons, limits);
        List<Targets.Line> lines = targets.lines();
        if (lines.isEmpty()) {
            return;
        }
        md.append("## The targets in this run\n\n| target | wants | this run | verdict |\n| --- | --- | --- | --- |\n");
        for (Targets.Line line : lines) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", line.target(), line.wanted(),
                    line.measured(), line.verdict().shown));
        }
        md.append("\nThe project's targets (docs/performance.md, \"The issue's targets\"), judged from the ratios "
                + "above: the faster peer is the best peer of that table, and each ratio is the median of per-round "
                + "ratios. A ratio is judged as measured; one shown to three decimals sits on its threshold. –: not "
                + "judged, because the run did not measure what the target needs. One run decides little where "
                + "ratios move from round to round: read the rounds in Every measurement.\n\n");
        String caveat = targets.caveat();
        if (caveat != null) {
            md.append("**").append(caveat).append("**\n\n");
        }
    }

    private void appendWindowMedians(StringBuilder md) {
        List<Scenario> windows = options.scenarios().stream().filter(Scenario::windowed).toList();
        if (windows.isEmpty()) {
            return;
        }
        md.append("## Timed windows: medians over rounds\n\n");
        md.append("| scenario | provider | rate | p50 ms | p99 ms | p99.9 ms | windows | others' CPU (cores) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Scenario scenario : windows) {
            for (ProviderSpec provider : options.providers()) {
                List<Result> results = results(scenario.id(), provider.name());
                md.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s | %s | %s | %d%s | %s |%n",
                        scenario.id(), provider.name(), rate(median(results, Result::rate)), scenario.rateUnit(),
                        millis(median(results, r -> r.p50Micros())), millis(median(results, r -> r.p99Micros())),
                        millis(median(results, r -> r.p999Micros())), results.size(),
                        failures(scenario.id(), provider.name()), cores(median(results,
                                r -> r.host().otherCores()))));
            }
        }
        md.append("\nThe rate counts messages received in the measured window (every subscriber's deliveries for "
                + "topic-1x8, round trips for request-reply). Latency is send to receive, or the round trip for "
                + "request-reply.\n\n");
    }

    private void appendFigureMedians(StringBuilder md) {
        for (Scenario scenario : options.scenarios()) {
            List<String[]> columns = COLUMNS.get(scenario);
            if (columns == null) {
                continue;
            }
            md.append("## ").append(scenario.id()).append(": medians over rounds\n\n").append(scenario.summary())
                    .append(".\n\n| provider |");
            columns.forEach(c -> md.append(' ').append(c[1]).append(" |"));
            md.append(" runs |\n| --- |");
            columns.forEach(c -> md.append(" ---: |"));
            md.append(" ---: |\n");
            for (ProviderSpec provider : options.providers()) {
                List<Sample> runs = samples.stream().filter(s -> s.ok() && s.scenario().equals(scenario.id())
                        && s.provider().equals(provider.name())).toList();
                md.append("| ").append(provider.name()).append(" |");
                for (String[] column : columns) {
                    OptionalDouble v = Stats.median(runs.stream().map(s -> s.figure(column[0])).toList());
                    md.append(' ').append(v.isPresent() ? figure(v.getAsDouble()) : "–").append(" |");
                }
                md.append(' ').append(runs.size()).append(failures(scenario.id(), provider.name())).append(" |\n");
            }
            md.append('\n');
        }
    }

    private void appendEveryMeasurement(StringBuilder md) {
        md.append("## Every measurement\n\n");
        List<Sample> windows = samples.stream().filter(s -> Scenario.byId(s.scenario()).windowed()).toList();
        List<Sample> others = samples.stream().filter(s -> !Scenario.byId(s.scenario()).windowed()).toList();
        if (!windows.isEmpty()) {
            md.append("| scenario | round | provider | rate | p99 ms | load avg (1 min) | broker cores | driver cores "
                    + "| others' cores | disk forces/s | |\n");
            md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
            for (Sample s : windows) {
                if (!s.ok()) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | failed: %s | | | | | | | |%n",
                            s.scenario(), s.round(), s.provider(), s.failure().replace('|', '/')));
                    continue;
                }
                Result r = s.result();
                double disk = s.figure(Sample.DISK_FORCES);
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f | %s | %s | %s | %s | %s |%n",
                        s.scenario(), s.round(), s.provider(), rate(OptionalDouble.of(r.rate())),
                        millis(OptionalDouble.of(r.p99Micros())), r.host().load1(),
                        cores(OptionalDouble.of(r.host().brokerCores())),
                        cores(OptionalDouble.of(r.host().driverCores())),
                        cores(OptionalDouble.of(r.host().otherCores())),
                        Double.isNaN(disk) ? "–" : String.format(Locale.ROOT, "%,.0f", disk),
                        s.noisy() ? "noisy" : ""));
            }
            md.append(String.format(Locale.ROOT, "%nCores are CPU seconds per second of the measured window, from "
                    + "/proc. \"noisy\": other processes used more than %.2f of a core during the window; %d of %d "
                    + "windows were. Disk forces/s: beside each window of a scenario whose sends each wait for a "
                    + "force (on a broker of its own), forced 1 KiB writes per second into a zero-filled file on the "
                    + "data disk, the mean of a probe just before the broker started and one just after it stopped; "
                    + "–: not probed.%n%n", Sample.NOISY_OTHER_CORES, noisyWindows(), windows()));
        }
        if (!others.isEmpty()) {
            md.append("| scenario | round | provider | figures |\n| --- | ---: | --- | --- |\n");
            for (Sample s : others) {
                List<String> parts = new ArrayList<>();
                s.figures().forEach((key, value) -> parts.add(key + " " + figure(value)));
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", s.scenario(), s.round(),
                        s.provider(), s.ok() ? String.join(", ", parts) : "failed: " + s.failure().replace('|', '/')));
            }
            md.append("\nThe backlog, recovery and footprint keep no record of what other processes did meanwhile: "
                    + "read them with the noise of the windows around them in mind.\n");
        }
    }

    /** Windows whose other processes used more than {@link #Sample.NOISY_OTHER_CORES}. */
    long noisyWindows() {
        return samples.stream().filter(Sample::noisy).count();
    }

    private long windows() {
        return samples.stream().filter(s -> s.result() != null).count();
    }

    private String failures(String scenario, String provider) {
        long failed = samples.stream().filter(s -> !s.ok() && s.scenario().equals(scenario)
                && s.provider().equals(provider)).count();
        return failed > 0 ? " (" + failed + " failed)" : "";
    }

    private List<Result> results(String scenario, String provider) {
        return samples.stream().filter(s -> s.result() != null && s.scenario().equals(scenario)
                && s.provider().equals(provider)).map(Sample::result).toList();
    }

    private static OptionalDouble median(List<Result> results, ToDoubleFunction<Result> metric) {
        return Stats.median(results.stream().map(r -> metric.applyAsDouble(r)).toList());
    }

    private static double value(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : Double.NaN;
    }

    private static String figure(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.1f", v);
    }

    private static String rate(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%,.0f", v.getAsDouble()) : "–";
    }

    private static String millis(OptionalDouble micros) {
        return micros.isPresent() ? String.format(Locale.ROOT, "%.2f", micros.getAsDouble() / 1000) : "–";
    }

    static String ratio(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f×", v.getAsDouble()) : "–";
    }

    private static String cores(OptionalDouble v) {
        return v.isPresent() && !Double.isNaN(v.getAsDouble())
                ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "n/a";
    }
}
