package io.tern.broker.destination;

import java.util.Objects;

/**
 * What a queue does with a message its consumers keep giving back (rollback, recover, a listener that throws, a
 * session closed before acknowledging): wait before delivering it again, and after too many deliveries move it to
 * a dead-letter queue instead of redelivering it for ever.
 *
 * @param maxDeliveries            deliveries after which a message that comes back goes to the dead-letter queue;
 *                                 0 for never. Default 10
 * @param deadLetterQueue          the dead-letter queue's name. Default {@code DLQ}
 * @param redeliveryDelayMillis    wait before the first redelivery; 0 redelivers at once. Default 0
 * @param backoffMultiplier        each later redelivery waits this many times longer (at least 1). Default 1
 * @param maxRedeliveryDelayMillis the longest wait, whatever the back-off. Default 60000
 */
public record RedeliveryPolicy(int maxDeliveries, String deadLetterQueue, long redeliveryDelayMillis,
                               double backoffMultiplier, long maxRedeliveryDelayMillis) {

    public static final RedeliveryPolicy DEFAULT = new RedeliveryPolicy(10, "DLQ", 0, 1.0, 60_000);

    public RedeliveryPolicy {
        Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
        if (maxDeliveries < 0) {
            throw new IllegalArgumentException("maxDeliveries " + maxDeliveries + " is negative");
        }
        if (deadLetterQueue.isBlank()) {
            throw new IllegalArgumentException("deadLetterQueue must not be blank");
        }
        if (redeliveryDelayMillis < 0 || maxRedeliveryDelayMillis < 0) {
            throw new IllegalArgumentException("redelivery delays must not be negative");
        }
        if (!(backoffMultiplier >= 1.0)) {
            throw new IllegalArgumentException("backoffMultiplier " + backoffMultiplier + " is below 1");
        }
    }

    public RedeliveryPolicy withMaxDeliveries(int value) {
        return new RedeliveryPolicy(value, deadLetterQueue, redeliveryDelayMillis, backoffMultiplier,
                maxRedeliveryDelayMillis);
    }

    public RedeliveryPolicy withDeadLetterQueue(String value) {
        return new RedeliveryPolicy(maxDeliveries, value, redeliveryDelayMillis, backoffMultiplier,
                maxRedeliveryDelayMillis);
    }

    public RedeliveryPolicy withRedeliveryDelayMillis(long value) {
        return new RedeliveryPolicy(maxDeliveries, deadLetterQueue, value, backoffMultiplier,
                maxRedeliveryDelayMillis);
    }

    public RedeliveryPolicy withBackoffMultiplier(double value) {
        return new RedeliveryPolicy(maxDeliveries, deadLetterQueue, redeliveryDelayMillis, value,
                maxRedeliveryDelayMillis);
    }

    public RedeliveryPolicy withMaxRedeliveryDelayMillis(long value) {
        return new RedeliveryPolicy(maxDeliveries, deadLetterQueue, redeliveryDelayMillis, backoffMultiplier,
                value);
    }

    /** True when a message delivered {@code deliveries} times and given back again goes to the dead-letter queue. */
    public boolean exhausted(int deliveries) {
        return maxDeliveries > 0 && deliveries >= maxDeliveries;
    }

    /** How long to wait before the delivery that will carry {@code nextDeliveryCount} (2 for the first redelivery). */
    public long delayBefore(int nextDeliveryCount) {
        if (redeliveryDelayMillis == 0) {
            return 0;
        }
        double delay = redeliveryDelayMillis * Math.pow(backoffMultiplier, Math.max(0, nextDeliveryCount - 2));
        return (long) Math.min(delay, maxRedeliveryDelayMillis);
    }
}
