package io.tern.broker.destination;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Holds messages whose JMSDeliveryTime lies in the future and routes them when it comes. */
final class DeliveryTimer {
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger held = new AtomicInteger();

    DeliveryTimer(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code route} now, or at {@code deliveryTime} when that is later than now. */
    void routeAt(long deliveryTime, Runnable route) {
        long delay = deliveryTime - System.currentTimeMillis();
        if (deliveryTime == 0 || delay <= 0) {
            route.run();
            return;
        }
        held.incrementAndGet();
        scheduler.schedule(() -> {
            held.decrementAndGet();
            route.run();
        }, delay, TimeUnit.MILLISECONDS);
    }

    int held() {
        return held.get();
    }
}
