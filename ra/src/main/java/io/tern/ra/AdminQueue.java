package io.tern.ra;

import jakarta.jms.Queue;

/**
 * A queue the application server binds in JNDI from the adapter's admin object definition, so that
 * {@code @Resource(lookup = "java:/jms/queue/orders") Queue orders} works. Its one property, {@code PhysicalName},
 * is the queue's name on the broker. The adapter's sessions turn it into a Tern queue wherever it is used.
 */
public class AdminQueue extends AdminDestination implements Queue {
    private static final long serialVersionUID = 1L;

    public AdminQueue() {
        super(null);
    }

    public AdminQueue(String physicalName) {
        super(physicalName);
    }

    @Override
    public String getQueueName() {
        return getPhysicalName();
    }

    @Override
    String kind() {
        return "queue";
    }
}
