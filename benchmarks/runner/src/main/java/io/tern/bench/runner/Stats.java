package io.tern.bench.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Medians, and ratios taken round by round so that drift of the machine between rounds cancels out. */
final class Stats {
    private Stats() {
    }

    /** The median, the mean of the middle two for an even count; empty when there are no values. */
    static OptionalDouble median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /**
     * The median over rounds of {@code a[i] / b[i]}, using the rounds where both were measured and {@code b[i]} is
     * positive; a null entry is a round that was not measured (it failed).
     */
    static OptionalDouble pairedRatio(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Double x = a.get(i);
            Double y = b.get(i);
            if (x != null && y != null && y > 0) {
                ratios.add(x / y);
            }
        }
        return median(ratios);
    }
}
