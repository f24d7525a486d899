package io.tern.bench.runner;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.Result;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement as the runner keeps it: which scenario, round and provider, and either its figures or why there
 * are none. A timed window also keeps the driver's {@link Result} (for its CPU figures); its figures are the
 * result's rate and percentiles.
 *
 * @param figures  {@link Figures} keys to values; empty when the measurement failed
 * @param result   the window's result, or null for a scenario that is not a window (or failed)
 * @param failure  why there are no figures, or null
 */
record Sample(String scenario, int round, String provider, Map<String, Double> figures, Result result,
        String failure) {

    /** Other processes using more than this share of a core during a window make it noisy. */
    static final double NOISY_OTHER_CORES = 0.25;
    /**
     * The figure under which a window of a scenario whose sends wait for a force keeps the disk's rate beside it:
     * forced 1 KiB writes per second into a zero-filled file, the mean of a probe before the broker started and one
     * after it stopped.
     */
    static final String DISK_FORCES = "disk_forces_per_s";

    Sample {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    static Sample measured(String scenario, int round, String provider, Result result) {
        return new Sample(scenario, round, provider, result.figures(), result, null);
    }

    static Sample figures(String scenario, int round, String provider, Map<String, Double> figures) {
        return new Sample(scenario, round, provider, figures, null, null);
    }

    static Sample failed(String scenario, int round, String provider, String failure) {
        return new Sample(scenario, round, provider, Map.of(), null, failure);
    }

    /** This sample with one more figure. */
    Sample withFigure(String key, double value) {
        Map<String, Double> more = new LinkedHashMap<>(figures);
        more.put(key, value);
        return new Sample(scenario, round, provider, more, result, failure);
    }

    boolean ok() {
        return failure == null;
    }

    /** Whether this is a window during which other processes used more than {@link #NOISY_OTHER_CORES}. */
    boolean noisy() {
        return result != null && result.host().otherCores() > NOISY_OTHER_CORES;
    }

    /** The figure under {@code key}, or NaN when it was not measured. */
    double figure(String key) {
        Double value = figures.get(key);
        return value == null ? Double.NaN : value;
    }
}
