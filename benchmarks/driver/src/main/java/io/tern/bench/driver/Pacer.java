package io.tern.bench.driver;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One producer's send schedule at a fixed rate: message k is due at {@code start + k * interval}. {@link #next()}
 * waits until the next message is due and returns the time it was due, which the message carries as its send time:
 * a send that starts late (the broker held the producer back, or the thread woke late) counts its lateness as
 * latency, so a stall is not hidden by the schedule it delayed (no coordinated omission). A producer that fell
 * behind sends what is due back to back until it has caught up. The measured window {@linkplain #restart() restarts}
 * the schedule, so a provider that fell behind while its JIT compilers warmed up does not carry that lag into the
 * measurement. Without a rate the producer sends as fast as the provider lets it and stamps the time it sends.
 */
public final class Pacer {
    /** Parks shorter than this are not worth a thread wake-up: the producer sends slightly early instead. */
    private static final long MIN_PARK_NANOS = 20_000;

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Parker parker;
    private long due;

    /** How the pacer waits; a test supplies one that advances a fake clock. */
    @FunctionalInterface
    interface Parker {
        void parkNanos(long nanos);
    }

    private Pacer(long intervalNanos, LongSupplier clock, Parker parker) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.parker = parker;
        this.due = clock.getAsLong();
    }

    /**
     * @param rate messages a second for all {@code producers} together; 0 for unpaced
     */
    static Pacer of(double rate, int producers) {
        return of(rate, producers, System::nanoTime, LockSupport::parkNanos);
    }

    static Pacer of(double rate, int producers, LongSupplier clock, Parker parker) {
        if (checkRate(rate) == 0) {
            return new Pacer(0, clock, parker);
        }
        return new Pacer(Math.max(1, Math.round(1e9 * producers / rate)), clock, parker);
    }

    /**
     * The rule for a rate, which the runner's {@code -rate} and the driver's follow too: a finite number of messages a
     * second, 0 or more (0: unpaced).
     *
     * @return {@code rate}
     * @throws IllegalArgumentException when it is negative, not a number or infinite
     */
    public static double checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("a rate is a number of messages a second >= 0, not " + rate);
        }
        return rate;
    }

    boolean paced() {
        return intervalNanos > 0;
    }

    /** Starts the schedule again from now: what fell due before and was not sent is never sent. */
    void restart() {
        due = clock.getAsLong();
    }

    /** Waits until the next message is due; returns its send time for the message's stamp. */
    long next() {
        if (intervalNanos == 0) {
            return clock.getAsLong();
        }
        long at = due;
        due += intervalNanos;
        for (long wait = at - clock.getAsLong(); wait >= MIN_PARK_NANOS; wait = at - clock.getAsLong()) {
            parker.parkNanos(wait);
        }
        return at;
    }
}
