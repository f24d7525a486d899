package io.tern.bench.runner;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The project's benchmark targets (issue 8, docs/performance.md), judged against one run from the same comparisons
 * as the rest of the report: each target that the run's scenarios cover, what it asks, what this run measured and
 * whether that meets it, and, where a synchronous target is beyond what the disk allowed in the same run, that too.
 * A ratio is judged as measured, not as printed: a ratio shown as 2.00× that is below 2 is shown to three decimals.
 */
final class Targets {
    /** The peers whose p99 W2, W3 and W4 must not exceed: Artemis, with its default and tuned journal alike. */
    private static final List<String> ARTEMIS = List.of("artemis", "artemis-tuned");
    /** W7's backlog: the target is for this many stored messages. */
    static final long W7_BACKLOG = 1_000_000;
    /** W8's idle connections: the target is for this many. */
    static final int W8_CONNECTIONS = 1_000;
    /** Windows shorter than the defaults' (15 s warm-up, 10 s measured) leave the JIT's warm-up in every figure. */
    private static final long FULL_WARMUP_MILLIS = 15_000;
    private static final long FULL_MEASURE_MILLIS = 10_000;

    /** A target's verdict. */
    enum Verdict {
        MET("**met**"),
        NOT_MET("not met"),
        /** The run did not measure what the target needs (a peer, a probe, or the target's size). */
        NOT_JUDGED("–");

        final String shown;

        Verdict(String shown) {
            this.shown = shown;
        }

        static Verdict all(List<Verdict> parts) {
            if (parts.contains(NOT_MET)) {
                return NOT_MET;
            }
            return parts.contains(NOT_JUDGED) || parts.isEmpty() ? NOT_JUDGED : MET;
        }
    }

    /**
     * One target's line.
     *
     * @param target   its name (W1 1→1, ...)
     * @param wanted   what it asks
     * @param measured what this run measured, the parts separated by semicolons
     * @param verdict  met, not met or not judged
     */
    record Line(String target, String wanted, String measured, Verdict verdict) {
    }

    private final RunOptions options;
    private final List<Comparison> comparisons;
    private final PhysicalLimits limits;

    Targets(RunOptions options, List<Comparison> comparisons, PhysicalLimits limits) {
        this.options = options;
        this.comparisons = comparisons;
        this.limits = limits;
    }

    /** How one target is judged: its line, given its name and scenario. */
    @FunctionalInterface
    private interface Judge {
        Line judge(Targets targets, String name, Scenario scenario);
    }

    /** A target: its name in the issue, the scenario that measures it, and how it is judged. */
    private record Target(String name, Scenario scenario, Judge judge) {
    }

    /** Every target, in the order. */
    private static final List<Target> ALL = List.of(
            new Target("W1 1→1", Scenario.PERSISTENT_1X1, Targets::w1Single),
            new Target("W1 4→4", Scenario.PERSISTENT_4X4, Targets::w1Four),
            new Target("W2", Scenario.TRANSACTED_100, Targets::againstArtemis),
            new Target("W3", Scenario.NON_PERSISTENT, Targets::againstArtemis),
            new Target("W4", Scenario.TOPIC_1X8, Targets::againstArtemis),
            new Target("W5", Scenario.REQUEST_REPLY, Targets::w5),
            new Target("W6", Scenario.BACKLOG, Targets::w6),
            new Target("W7", Scenario.RECOVERY, Targets::w7),
            new Target("W8", Scenario.FOOTPRINT, Targets::w8));

    /**
     * The targets the run's scenarios cover, in the order. In a paced run the queue and topic windows' rates
     * are the schedule's ({@link RunOptions#rate}), so their targets are not judged.
     */
    List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        for (Target target : ALL) {
            Scenario scenario = target.scenario();
            if (!options.scenarios().contains(scenario)) {
                continue;
            }
            String name = target.name() + " (" + scenario.id() + ")";
            boolean paced = options.rate() > 0
                    && (scenario.kind() == Scenario.Kind.QUEUE || scenario.kind() == Scenario.Kind.TOPIC);
            lines.add(paced ? paced(name) : target.judge().judge(this, name, scenario));
        }
        return lines;
    }

    private Line w1Single(String name, Scenario scenario) {
        Comparison rate = comparison(scenario, Figures.RATE);
        List<String> measured = new ArrayList<>();
        List<Verdict> parts = new ArrayList<>();
        parts.add(atLeast(rate, 2, measured));
        OptionalDouble synced = limits.syncedPerSecond();
        if (rate.tern().isPresent() && synced.isPresent() && synced.getAsDouble() > 0) {
            double share = rate.tern().getAsDouble() / synced.getAsDouble();
            measured.add(String.format(Locale.ROOT, "%.0f%% of the fsync-per-record limit (%,.0f/s)", 100 * share,
                    synced.getAsDouble()));
            parts.add(share >= 0.60 ? Verdict.MET : Verdict.NOT_MET);
        } else {
            measured.add("no fsync-per-record limit measured");
            parts.add(Verdict.NOT_JUDGED);
        }
        return new Line(name, "≥ 2× the faster peer's msg/s and ≥ 60% of the "
                + "fsync-per-record limit", String.join("; ", measured), Verdict.all(parts));
    }

    private Line w1Four(String name, Scenario scenario) {
        Comparison rate = comparison(scenario, Figures.RATE);
        List<String> measured = new ArrayList<>();
        Verdict verdict = atLeast(rate, 4, measured);
        OptionalDouble shared = limits.sharedPerSecond();
        if (verdict == Verdict.NOT_MET && shared.isPresent() && shared.getAsDouble() > 0) {
            double share = 4 * rate.bestValue().getAsDouble() / shared.getAsDouble();
            if (share > 1) {
                measured.add(String.format(Locale.ROOT, "beyond the disk: 4× %s is %.0f%% of what %d writers "
                        + "sharing forces got from it (%,.0f/s)", rate.bestPeer(), 100 * share, DiskProbe.WRITERS,
                        shared.getAsDouble()));
            }
        }
        return new Line(name, "≥ 4× the faster peer's msg/s", String.join("; ", measured), verdict);
    }

    /** W2, W3 and W4: 1.5× the faster peer, with a p99 no worse than either Artemis run's. */
    private Line againstArtemis(String name, Scenario scenario) {
        List<String> measured = new ArrayList<>();
        List<Verdict> parts = new ArrayList<>();
        parts.add(atLeast(comparison(scenario, Figures.RATE), 1.5, measured));
        Comparison p99 = comparison(scenario, Figures.P99_MS);
        boolean anyArtemis = false;
        for (String artemis : ARTEMIS) {
            OptionalDouble ratio = p99.ratioToPeer().getOrDefault(artemis, OptionalDouble.empty());
            if (ratio.isPresent()) {
                anyArtemis = true;
                double r = ratio.getAsDouble();
                measured.add("p99 " + shown(r, 1) + " " + artemis + "'s");
                parts.add(r <= 1 ? Verdict.MET : Verdict.NOT_MET);
            }
        }
        if (!anyArtemis) {
            measured.add("p99 not compared: no Artemis run");
            parts.add(Verdict.NOT_JUDGED);
        }
        return new Line(name, "≥ 1.5× the faster peer's rate, p99 no worse than "
                + "Artemis's", String.join("; ", measured), Verdict.all(parts));
    }

    private Line w5(String name, Scenario scenario) {
        Comparison rate = comparison(scenario, Figures.RATE);
        List<String> measured = new ArrayList<>();
        List<Verdict> parts = new ArrayList<>();
        parts.add(atLeast(rate, 2, measured));
        Comparison p99 = comparison(scenario, Figures.P99_MS);
        OptionalDouble ratio = rate.bestPeer() == null ? OptionalDouble.empty()
                : p99.ratioToPeer().getOrDefault(rate.bestPeer(), OptionalDouble.empty());
        if (ratio.isPresent()) {
            measured.add("p99 " + shown(ratio.getAsDouble(), 1) + " " + rate.bestPeer() + "'s");
            parts.add(ratio.getAsDouble() < 1 ? Verdict.MET : Verdict.NOT_MET);
        } else {
            parts.add(Verdict.NOT_JUDGED);
        }
        return new Line(name, "≥ 2× the faster peer's round trips/s, p99 below its p99",
                String.join("; ", measured), Verdict.all(parts));
    }

    private Line w6(String name, Scenario scenario) {
        List<String> measured = new ArrayList<>();
        List<Verdict> parts = new ArrayList<>();
        Comparison fill = comparison(scenario, Figures.FILL_RATE);
        Comparison drain = comparison(scenario, Figures.DRAIN_RATE);
        Comparison rss = comparison(scenario, Figures.PEAK_RSS_MIB);
        parts.add(judge(fill, fill.ratioToBest(), 1.5, true, "fill ", measured));
        parts.add(judge(drain, drain.ratioToBest(), 1.5, true, "drain ", measured));
        parts.add(judge(rss, rss.ratioToBest(), 0.5, false, "peak RSS ", measured));
        return new Line(name, "fill and drain ≥ 1.5× the faster peer; peak RSS ≤ half the smaller peer's",
                String.join("; ", measured), Verdict.all(parts));
    }

    private Line w7(String name, Scenario scenario) {
        Comparison ready = comparison(scenario, Figures.RECOVERY_MS);
        String wanted = "≤ 5 s after kill -9 with " + String.format(Locale.ROOT, "%,d", W7_BACKLOG)
                + " messages stored";
        if (ready.tern().isEmpty()) {
            return new Line(name, wanted, "Tern not measured", Verdict.NOT_JUDGED);
        }
        double millis = ready.tern().getAsDouble();
        String measured = String.format(Locale.ROOT, "%.2f s with %,d stored", millis / 1000, options.backlog());
        if (options.backlog() < W7_BACKLOG) {
            return new Line(name, wanted, measured + ": fewer than the target's", Verdict.NOT_JUDGED);
        }
        return new Line(name, wanted, measured, millis <= 5000 ? Verdict.MET : Verdict.NOT_MET);
    }

    private Line w8(String name, Scenario scenario) {
        List<String> measured = new ArrayList<>();
        List<Verdict> parts = new ArrayList<>();
        OptionalDouble start = comparison(scenario, Figures.START_MS).tern();
        OptionalDouble perConnection = comparison(scenario, Figures.KIB_PER_CONNECTION).tern();
        if (start.isPresent()) {
            measured.add(String.format(Locale.ROOT, "start %.2f s", start.getAsDouble() / 1000));
            parts.add(start.getAsDouble() <= 1000 ? Verdict.MET : Verdict.NOT_MET);
        } else {
            measured.add("start not measured");
            parts.add(Verdict.NOT_JUDGED);
        }
        if (perConnection.isPresent() && options.connections() < W8_CONNECTIONS) {
            measured.add(String.format(Locale.ROOT, "%.1f KiB per idle connection with %,d: fewer than the target's",
                    perConnection.getAsDouble(), options.connections()));
            parts.add(Verdict.NOT_JUDGED);
        } else if (perConnection.isPresent()) {
            measured.add(String.format(Locale.ROOT, "%.1f KiB per idle connection (%,d connections)",
                    perConnection.getAsDouble(), options.connections()));
            parts.add(perConnection.getAsDouble() <= 20 ? Verdict.MET : Verdict.NOT_MET);
        } else {
            measured.add("connections not measured");
            parts.add(Verdict.NOT_JUDGED);
        }
        return new Line(name, "start ≤ 1 s; ≤ 20 KiB per idle connection, " + String.format(Locale.ROOT,
                "%,d", W8_CONNECTIONS) + " of them", String.join("; ", measured), Verdict.all(parts));
    }

    /**
     * Why this run's verdicts say less than a default run's, or null: windows shorter than the defaults (as in
     * {@code -quick}) or one broker shared by a provider's windows.
     */
    String caveat() {
        if (options.warmupMillis() >= FULL_WARMUP_MILLIS && options.measureMillis() >= FULL_MEASURE_MILLIS
                && options.brokers() == RunOptions.Brokers.FRESH) {
            return null;
        }
        return String.format(Locale.ROOT, "This run's windows (%.1f s warm-up, %.1f s measured%s) are not the "
                + "defaults' (15 s and 10 s on a fresh broker each): the JIT's warm-up weighs on every figure, so "
                + "these verdicts say little.", options.warmupMillis() / 1000.0, options.measureMillis() / 1000.0,
                options.brokers() == RunOptions.Brokers.SHARED ? ", one broker per provider for all its windows" : "");
    }

    /** The rate part shared by W1 to W5: Tern ÷ the faster peer at least {@code times}. */
    private static Verdict atLeast(Comparison rate, double times, List<String> measured) {
        return judge(rate, rate.ratioToBest(), times, true, "", measured);
    }

    /**
     * Adds "{@code what}ratio peer" to {@code measured} and judges the ratio against {@code threshold}: at least it
     * when {@code higher}, else at most it.
     */
    private static Verdict judge(Comparison c, OptionalDouble ratio, double threshold, boolean higher, String what,
                                 List<String> measured) {
        if (ratio.isEmpty() || c.bestPeer() == null) {
            measured.add(what + "no ratio (a side was not measured)");
            return Verdict.NOT_JUDGED;
        }
        double r = ratio.getAsDouble();
        measured.add(what + shown(r, threshold) + " " + c.bestPeer() + c.markers());
        return (higher ? r >= threshold : r <= threshold) ? Verdict.MET : Verdict.NOT_MET;
    }

    /** A ratio to two decimals, or three when two would round it onto {@code threshold} from either side. */
    static String shown(double ratio, double threshold) {
        String two = String.format(Locale.ROOT, "%.2f", ratio);
        boolean misleads = Double.parseDouble(two) == threshold && ratio != threshold;
        return String.format(Locale.ROOT, misleads ? "%.3f×" : "%.2f×", ratio);
    }

    private Line paced(String target) {
        return new Line(target, "its rate, unpaced", "not judged: the run was paced (-rate), so its rates are the "
                + "schedule's", Verdict.NOT_JUDGED);
    }

    private Comparison comparison(Scenario scenario, String key) {
        return comparisons.stream().filter(c -> c.metric().scenario().equals(scenario) && c.metric().key().equals(key))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + key + " compared for "
                        + scenario.id()));
    }
}
