package io.tern.bench.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Tern beside the peers on one {@link Metric}: medians over rounds, the best peer (highest or lowest median, as the
 * metric goes), and Tern ÷ peer taken round by round and then the median, against the best peer and each peer,
 * so that drift of the machine between rounds cancels out.
 *
 * @param metric      what is compared
 * @param tern        Tern's median, or empty
 * @param bestPeer    the best peer's name, or null when no peer has a value
 * @param bestValue   the best peer's median, or empty
 * @param ratioToBest Tern ÷ best peer (median of per-round ratios), or empty
 * @param ratioToPeer every peer's name to Tern ÷ that peer, in the run's order
 * @param noisy       whether a window of Tern or of the best peer in this scenario was {@linkplain Sample#noisy()
 *                    noisy}
 * @param diskMoved   whether, in some round, the disk forced more than {@value #DISK_MOVED} times as fast beside
 *                    one of Tern's and the best peer's windows as beside the other ({@link Sample#DISK_FORCES})
 */
record Comparison(Metric metric, OptionalDouble tern, String bestPeer, OptionalDouble bestValue,
        OptionalDouble ratioToBest, Map<String, OptionalDouble> ratioToPeer, boolean noisy, boolean diskMoved) {
    /** How far apart the disk's rates beside two windows of one round may be before their ratio is marked. */
    static final double DISK_MOVED = 1.25;

    static Comparison of(Metric metric, List<Sample> samples, RunOptions options) {
        List<Double> tern = perRound(metric, samples, options, ProviderSpec.TERN);
        String bestPeer = null;
        double bestValue = Double.NaN;
        Map<String, OptionalDouble> ratios = new LinkedHashMap<>();
        for (ProviderSpec peer : options.providers()) {
            if (peer.isTern()) {
                continue;
            }
            List<Double> values = perRound(metric, samples, options, peer.name());
            ratios.put(peer.name(), Stats.pairedRatio(tern, values));
            OptionalDouble median = Stats.median(present(values));
            if (median.isPresent() && (bestPeer == null || better(metric, median.getAsDouble(), bestValue))) {
                bestPeer = peer.name();
                bestValue = median.getAsDouble();
            }
        }
        OptionalDouble toBest = bestPeer == null ? OptionalDouble.empty() : ratios.get(bestPeer);
        String best = bestPeer;
        boolean noisy = samples.stream().anyMatch(s -> s.noisy() && s.scenario().equals(metric.scenario().id())
                && (s.provider().equals(ProviderSpec.TERN) || s.provider().equals(best)));
        return new Comparison(metric, Stats.median(present(tern)), bestPeer,
                bestPeer == null ? OptionalDouble.empty() : OptionalDouble.of(bestValue), toBest, ratios, noisy,
                best != null && diskMoved(metric, samples, options, best));
    }

    /** Whether the disk's rate beside Tern's window and the best peer's window of some round differs too much. */
    private static boolean diskMoved(Metric metric, List<Sample> samples, RunOptions options, String best) {
        String scenario = metric.scenario().id();
        List<Double> tern = perRound(scenario, Sample.DISK_FORCES, samples, options, ProviderSpec.TERN);
        List<Double> peer = perRound(scenario, Sample.DISK_FORCES, samples, options, best);
        for (int i = 0; i < tern.size(); i++) {
            Double a = tern.get(i);
            Double b = peer.get(i);
            if (a != null && b != null && a > 0 && b > 0 && Math.max(a, b) / Math.min(a, b) > DISK_MOVED) {
                return true;
            }
        }
        return false;
    }

    /** What the ratio's reader must know: a noisy window behind it, or a disk that moved between its windows. */
    String markers() {
        return (noisy ? " (noisy)" : "") + (diskMoved ? " (disk moved)" : "");
    }

    /** Whether Tern did better than the best peer, when both were measured. */
    boolean ternBetter() {
        return ratioToBest.isPresent() && metric.ternBetter(ratioToBest.getAsDouble());
    }

    private static boolean better(Metric metric, double candidate, double best) {
        return metric.better() == Metric.Better.HIGHER ? candidate > best : candidate < best;
    }

    /** One entry per round: the provider's value of the metric, null where it failed, did not run or is NaN. */
    static List<Double> perRound(Metric metric, List<Sample> samples, RunOptions options, String provider) {
        return perRound(metric.scenario().id(), metric.key(), samples, options, provider);
    }

    private static List<Double> perRound(String scenario, String key, List<Sample> samples, RunOptions options,
                                         String provider) {
        List<Double> values = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            int r = round;
            double value = samples.stream().filter(s -> s.ok() && s.round() == r
                    && s.scenario().equals(scenario) && s.provider().equals(provider))
                    .mapToDouble(s -> s.figure(key)).findFirst().orElse(Double.NaN);
            values.add(Double.isNaN(value) ? null : value);
        }
        return values;
    }

    private static List<Double> present(List<Double> values) {
        return values.stream().filter(v -> v != null).toList();
    }
}
