package io.tern.bench.runner;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Scenario;
import java.util.List;
import java.util.Locale;

/**
 * A figure the report compares across providers: which scenario and {@link Figures} key, how it is shown, whether
 * more or less is better, and whether the chart draws it.
 *
 * @param scenario  the scenario that yields it
 * @param key       its {@link Figures} key
 * @param label     its name in the report, with its unit
 * @param better    which way is better
 * @param format    how a value is printed ({@link String#format} with {@link Locale#ROOT})
 * @param charted   whether chart.png has a bar for it
 */
record Metric(Scenario scenario, String key, String label, Better better, String format, boolean charted) {

    /** Which way is better. */
    enum Better {
        HIGHER("↑"),
        LOWER("↓");

        final String arrow;

        Better(String arrow) {
            this.arrow = arrow;
        }
    }

    /** The metrics of {@code scenario}, headline first. */
    static List<Metric> of(Scenario scenario) {
        switch (scenario.kind()) {
            case BACKLOG:
                return List.of(
                        new Metric(scenario, Figures.FILL_RATE, "fill msg/s", Better.HIGHER, "%,.0f", true),
                        new Metric(scenario, Figures.DRAIN_RATE, "drain msg/s", Better.HIGHER, "%,.0f", true),
                        new Metric(scenario, Figures.PEAK_RSS_MIB, "peak RSS MiB", Better.LOWER, "%,.0f", true));
            case RECOVERY:
                return List.of(
                        new Metric(scenario, Figures.RECOVERY_MS, "ready after kill -9, ms", Better.LOWER, "%,.0f",
                                true),
                        new Metric(scenario, Figures.FIRST_MESSAGE_MS, "first message ms", Better.LOWER, "%,.0f",
                                false));
            case FOOTPRINT:
                return List.of(
                        new Metric(scenario, Figures.START_MS, "start ms", Better.LOWER, "%,.0f", true),
                        new Metric(scenario, Figures.IDLE_RSS_MIB, "idle RSS MiB", Better.LOWER, "%,.0f", true),
                        new Metric(scenario, Figures.KIB_PER_CONNECTION, "KiB per idle connection", Better.LOWER,
                                "%,.1f", true),
                        new Metric(scenario, Figures.KIB_PER_CONNECTION_WARM, "KiB per idle connection, warm",
                                Better.LOWER, "%,.1f", false));
            default:
                return List.of(
                        new Metric(scenario, Figures.RATE, scenario.rateUnit(), Better.HIGHER, "%,.0f", true),
                        new Metric(scenario, Figures.P99_MS, "p99 ms", Better.LOWER, "%.2f", false));
        }
    }

    /** The metrics of every scenario, in order. */
    static List<Metric> of(List<Scenario> scenarios) {
        return scenarios.stream().flatMap(s -> of(s).stream()).toList();
    }

    String format(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, format, value);
    }

    /** Whether a ratio Tern ÷ peer says Tern did better. */
    boolean ternBetter(double ratio) {
        return better == Better.HIGHER ? ratio > 1 : ratio < 1;
    }
}
