package io.tern.ra;

import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.resource.Referenceable;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * A queue the application server binds in JNDI from the adapter's admin object definition, so that
 * {@code @Resource(lookup = "java:/jms/queue/orders") Queue orders} works. Its one property, {@code PhysicalName},
 * is the queue's name on the broker. The adapter's sessions turn it into a Tern queue wherever it is used.
 */
public class AdminQueue implements Queue, Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    private String physicalName;
    private transient Reference reference;

    public AdminQueue() {
    }

    public AdminQueue(String physicalName) {
        this.physicalName = physicalName;
    }

    public String getPhysicalName() {
        return physicalName;
    }

    public void setPhysicalName(String physicalName) {
        this.physicalName = physicalName;
    }

    @Override
    public String getQueueName() throws JMSException {
        return physicalName;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdminQueue q && java.util.Objects.equals(q.physicalName, physicalName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(physicalName);
    }

    @Override
    public String toString() {
        return "queue://" + physicalName;
    }
}
