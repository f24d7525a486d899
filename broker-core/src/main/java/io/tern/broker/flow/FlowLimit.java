package io.tern.broker.flow;

/**
 * How far a destination's consumers may fall behind before its producers of non-persistent messages are paced
 * ({@code producer-flow-limit}, {@code producer-flow-stall-ms}); see {@link ProducerFlow}.
 *
 * @param bytes       the bytes of messages a queue or one topic subscription may hold for its consumers (waiting and
 *                    delivered, not yet acknowledged) before the answers to further non-persistent sends wait; 0
 *                    turns pacing off
 * @param stallMillis consumers that took nothing for this long are stalled, not slow: producers are not paced for
 *                    them (until they take a message again); at least 1
 */
public record FlowLimit(long bytes, long stallMillis) {
    /** The default {@code producer-flow-limit}: 64 KiB. */
    public static final long DEFAULT_BYTES = 64 * 1024;
    /** The default {@code producer-flow-stall-ms}: one second. */
    public static final long DEFAULT_STALL_MILLIS = 1000;
    /** Pacing off: every send is answered as soon as its message is routed. */
    public static final FlowLimit OFF = new FlowLimit(0, DEFAULT_STALL_MILLIS);

    public FlowLimit {
        if (bytes < 0) {
            throw new IllegalArgumentException("producer flow limit " + bytes + " must not be negative");
        }
        if (stallMillis < 1) {
            throw new IllegalArgumentException("producer flow stall time " + stallMillis + " ms must be at least 1");
        }
    }

    public static FlowLimit defaults() {
        return new FlowLimit(DEFAULT_BYTES, DEFAULT_STALL_MILLIS);
    }

    public boolean isOff() {
        return bytes == 0;
    }
}
