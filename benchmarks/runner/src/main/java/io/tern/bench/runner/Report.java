package io.tern.bench.runner;

import io.tern.bench.driver.Result;
import io.tern.bench.driver.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown report: medians per scenario and provider, Tern's ratio to the best peer (round by round), and
 * every window with what the rest of the machine was doing, so that a noisy run can be told apart.
 */
final class Report {
    /** Other processes using more than this share of a core during a window make it noisy. */
    static final double NOISY_OTHER_CORES = 0.25;

    private final RunOptions options;
    private final List<Sample> samples;
    private final String header;
    private final List<DiskProbe.Limits> disk;

    /** {@code disk} holds the disk probe's results (start and end of the run; null where it failed). */
    Report(RunOptions options, List<Sample> samples, String header, List<DiskProbe.Limits> disk) {
        this.options = options;
        this.samples = samples;
        this.header = header;
        this.disk = disk;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Tern benchmark run\n\n").append(header).append('\n');
        md.append(String.format(Locale.ROOT, "Settings: %d round(s), %.1f s warm-up and %.1f s measured per window, "
                + "providers in this order each round: %s. Every window starts a fresh broker JVM (its store in a "
                + "new directory, fsync on) and a fresh driver JVM; 1 KiB BytesMessages.%n%n", options.rounds(),
                options.warmupMillis() / 1000.0, options.measureMillis() / 1000.0,
                String.join(", ", options.providers().stream().map(ProviderSpec::name).toList())));
        appendDisk(md);
        appendMedians(md);
        appendRatios(md);
        appendPerPeer(md);
        appendWindows(md);
        return md.toString();
    }

    private void appendDisk(StringBuilder md) {
        md.append("Physical limit, the brokers' data disk (one writer, 1 KiB records): ");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < disk.size(); i++) {
            DiskProbe.Limits limits = disk.get(i);
            String when = i == 0 ? "at the start " : i == disk.size() - 1 ? "at the end " : "";
            parts.add(when + (limits == null ? "not measured (the probe failed)" : limits.describe()));
        }
        md.append(parts.isEmpty() ? "not measured" : String.join("; ", parts)).append(".\n\n");
    }

    /** Tern's persistent-1x1 rate against the median fsync-per-record limit of this run, if both were measured. */
    private String fsyncShare() {
        OptionalDouble limit = Stats.median(disk.stream().filter(d -> d != null)
                .map(DiskProbe.Limits::syncedPerSecond).toList());
        OptionalDouble tern = median(results(Scenario.PERSISTENT_1X1.id(), ProviderSpec.TERN), Result::rate);
        if (limit.isEmpty() || tern.isEmpty() || limit.getAsDouble() <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, "Tern's persistent-1x1 reached %.0f%% of the disk's fsync-per-record "
                + "limit measured in this run (%,.0f/s).%n%n", 100 * tern.getAsDouble() / limit.getAsDouble(),
                limit.getAsDouble());
    }

    private void appendMedians(StringBuilder md) {
        md.append("## Medians over rounds\n\n");
        md.append("| scenario | provider | msg/s | p50 ms | p99 ms | p99.9 ms | windows | others' CPU (cores) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Scenario scenario : options.scenarios()) {
            for (ProviderSpec provider : options.providers()) {
                List<Result> results = results(scenario.id(), provider.name());
                long failed = samples.stream().filter(s -> s.scenario().equals(scenario.id())
                        && s.provider().equals(provider.name()) && !s.ok()).count();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d%s | %s |%n",
                        scenario.id(), provider.name(), rate(median(results, Result::rate)),
                        millis(median(results, r -> r.p50Micros())), millis(median(results, r -> r.p99Micros())),
                        millis(median(results, r -> r.p999Micros())), results.size(),
                        failed > 0 ? " (" + failed + " failed)" : "",
                        cores(median(results, r -> r.host().otherCores()))));
            }
        }
        md.append("\nmsg/s counts messages received (round trips for request-reply) in the measured window. "
                + "Latency is send to receive, or the round trip for request-reply.\n\n");
    }

    private void appendRatios(StringBuilder md) {
        md.append("## Tern against the best peer\n\n");
        md.append("| scenario | Tern msg/s | best peer by msg/s | its msg/s | **Tern/peer msg/s** | Tern p99 ms "
                + "| lowest peer p99 | its p99 ms | **Tern/peer p99** |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (Scenario scenario : options.scenarios()) {
            List<Double> ternRates = perRound(scenario.id(), ProviderSpec.TERN, Result::rate);
            List<Double> ternP99 = perRound(scenario.id(), ProviderSpec.TERN, r -> r.p99Micros());
            String bestRate = null;
            double bestRateValue = -1;
            String lowestP99 = null;
            double lowestP99Value = Double.MAX_VALUE;
            for (ProviderSpec peer : options.providers()) {
                if (peer.isTern()) {
                    continue;
                }
                List<Result> results = results(scenario.id(), peer.name());
                OptionalDouble rate = median(results, Result::rate);
                OptionalDouble p99 = median(results, r -> r.p99Micros());
                if (rate.isPresent() && rate.getAsDouble() > bestRateValue) {
                    bestRate = peer.name();
                    bestRateValue = rate.getAsDouble();
                }
                if (p99.isPresent() && p99.getAsDouble() < lowestP99Value) {
                    lowestP99 = peer.name();
                    lowestP99Value = p99.getAsDouble();
                }
            }
            OptionalDouble rateRatio = bestRate == null ? OptionalDouble.empty()
                    : Stats.pairedRatio(ternRates, perRound(scenario.id(), bestRate, Result::rate));
            OptionalDouble p99Ratio = lowestP99 == null ? OptionalDouble.empty()
                    : Stats.pairedRatio(ternP99, perRound(scenario.id(), lowestP99, r -> r.p99Micros()));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", scenario.id(),
                    rate(Stats.median(present(ternRates))), bestRate == null ? "–" : bestRate,
                    bestRate == null ? "–" : rate(OptionalDouble.of(bestRateValue)), ratio(rateRatio),
                    millis(Stats.median(present(ternP99))), lowestP99 == null ? "–" : lowestP99,
                    lowestP99 == null ? "–" : millis(OptionalDouble.of(lowestP99Value)), ratio(p99Ratio)));
        }
        md.append("\nRatios are medians of per-round ratios (Tern's window against the peer's window of the same "
                + "round), so drift of the machine between rounds cancels out. Tern/peer msg/s above 1 means Tern "
                + "is faster; Tern/peer p99 below 1 means Tern's p99 latency is lower. The best peer is the best of "
                + "all peer runs, Artemis default and tuned included.\n\n");
        md.append(fsyncShare());
    }

    private void appendPerPeer(StringBuilder md) {
        List<ProviderSpec> peers = options.providers().stream().filter(p -> !p.isTern()).toList();
        if (peers.isEmpty()) {
            return;
        }
        md.append("## Tern/peer msg/s, peer by peer\n\n| scenario |");
        peers.forEach(p -> md.append(" Tern/").append(p.name()).append(" |"));
        md.append("\n| --- |");
        peers.forEach(p -> md.append(" ---: |"));
        md.append('\n');
        for (Scenario scenario : options.scenarios()) {
            List<Double> tern = perRound(scenario.id(), ProviderSpec.TERN, Result::rate);
            md.append("| ").append(scenario.id()).append(" |");
            for (ProviderSpec peer : peers) {
                md.append(' ').append(ratio(Stats.pairedRatio(tern, perRound(scenario.id(), peer.name(),
                        Result::rate)))).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private void appendWindows(StringBuilder md) {
        md.append("## Every window\n\n");
        md.append("| scenario | round | provider | msg/s | p99 ms | load avg (1 min) | broker cores | driver cores "
                + "| others' cores | |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Sample s : samples) {
            if (!s.ok()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | failed: %s | | | | | | |%n", s.scenario(),
                        s.round(), s.provider(), s.failure().replace('|', '/')));
                continue;
            }
            Result r = s.result();
            double others = r.host().otherCores();
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f | %s | %s | %s | %s |%n",
                    s.scenario(), s.round(), s.provider(), rate(OptionalDouble.of(r.rate())),
                    millis(OptionalDouble.of(r.p99Micros())), r.host().load1(),
                    cores(OptionalDouble.of(r.host().brokerCores())), cores(OptionalDouble.of(r.host().driverCores())),
                    cores(OptionalDouble.of(others)), others > NOISY_OTHER_CORES ? "noisy" : ""));
        }
        md.append(String.format(Locale.ROOT, "%nCores are CPU seconds per second of the measured window, from "
                + "/proc. \"noisy\": other processes used more than %.2f of a core during the window.%n",
                NOISY_OTHER_CORES));
    }

    private List<Result> results(String scenario, String provider) {
        return samples.stream().filter(s -> s.ok() && s.scenario().equals(scenario)
                && s.provider().equals(provider)).map(Sample::result).toList();
    }

    /** One entry per round, null where the round failed or did not run. */
    private List<Double> perRound(String scenario, String provider, ToDoubleFunction<Result> metric) {
        List<Double> values = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            int r = round;
            values.add(samples.stream().filter(s -> s.ok() && s.round() == r && s.scenario().equals(scenario)
                    && s.provider().equals(provider)).findFirst()
                    .map(s -> metric.applyAsDouble(s.result())).orElse(null));
        }
        return values;
    }

    private static List<Double> present(List<Double> values) {
        return values.stream().filter(v -> v != null).toList();
    }

    private static OptionalDouble median(List<Result> results, ToDoubleFunction<Result> metric) {
        return Stats.median(results.stream().map(r -> metric.applyAsDouble(r)).toList());
    }

    private static String rate(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%,.0f", v.getAsDouble()) : "–";
    }

    private static String millis(OptionalDouble micros) {
        return micros.isPresent() ? String.format(Locale.ROOT, "%.2f", micros.getAsDouble() / 1000) : "–";
    }

    private static String ratio(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f×", v.getAsDouble()) : "–";
    }

    private static String cores(OptionalDouble v) {
        return v.isPresent() && !Double.isNaN(v.getAsDouble())
                ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "n/a";
    }
}
