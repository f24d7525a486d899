package io.tern.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The clock of one run: a warm-up (JIT, caches, journal files) that is not counted, the measured window, then stop.
 * Workers ask {@link #measuring()} before they count or record a latency, and {@link #running()} to go on.
 * Each worker has its own histogram and counter, merged after the workers have stopped.
 */
public final class Window {
    private enum Phase { WARMUP, MEASURE, DONE }

    private volatile Phase phase = Phase.WARMUP;
    private volatile Throwable failure;
    private final List<Tally> tallies = new ArrayList<>();
    private long measureStart;
    private long measureEnd;

    /** A worker's own count and latencies (recorded in microseconds). */
    public static final class Tally {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long count;

        public void record(long latencyNanos) {
            count++;
            histogram.recordValue(Math.min(histogram.getHighestTrackableValue(),
                    Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos))));
        }
    }

    public synchronized Tally tally() {
        Tally tally = new Tally();
        tallies.add(tally);
        return tally;
    }

    public boolean running() {
        return phase != Phase.DONE && failure == null;
    }

    public boolean measuring() {
        return phase == Phase.MEASURE;
    }

    /** A worker failed: the run stops and the driver reports the failure instead of figures. */
    public void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        phase = Phase.DONE;
    }

    public Throwable failure() {
        return failure;
    }

    /** Runs the warm-up and the measured window on the calling thread; the host sampler covers the window only. */
    public HostCpu.Usage run(long warmupMillis, long measureMillis, HostCpu host) throws InterruptedException {
        sleepWhileRunning(warmupMillis);
        host.start();
        measureStart = System.nanoTime();
        phase = Phase.MEASURE;
        sleepWhileRunning(measureMillis);
        measureEnd = System.nanoTime();
        if (phase == Phase.MEASURE) {
            phase = Phase.DONE;
        }
        return host.stop();
    }

    private void sleepWhileRunning(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (running() && System.nanoTime() < end) {
            Thread.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
    }

    public double measuredSeconds() {
        return (measureEnd - measureStart) / 1e9;
    }

    /** The merged tallies; call after every worker has stopped. */
    public synchronized Tally total() {
        Tally total = new Tally();
        for (Tally t : tallies) {
            total.count += t.count;
            total.histogram.add(t.histogram);
        }
        return total;
    }

    public static long percentile(Tally tally, double p) {
        return tally.histogram.getTotalCount() == 0 ? 0 : tally.histogram.getValueAtPercentile(p);
    }

    public static long max(Tally tally) {
        return tally.histogram.getTotalCount() == 0 ? 0 : tally.histogram.getMaxValue();
    }
}
