package io.tern.ra;

import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import jakarta.resource.Referenceable;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * A topic the application server binds in JNDI from the adapter's admin object definition, so that
 * {@code @Resource(lookup = "java:/jms/topic/prices") Topic prices} works. Its one property, {@code PhysicalName},
 * is the topic's name on the broker. The adapter's sessions turn it into a Tern topic wherever it is used.
 */
public class AdminTopic implements Topic, Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    private String physicalName;
    private transient Reference reference;

    public AdminTopic() {
    }

    public AdminTopic(String physicalName) {
        this.physicalName = physicalName;
    }

    public String getPhysicalName() {
        return physicalName;
    }

    public void setPhysicalName(String physicalName) {
        this.physicalName = physicalName;
    }

    @Override
    public String getTopicName() throws JMSException {
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
        return o instanceof AdminTopic t && java.util.Objects.equals(t.physicalName, physicalName);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(physicalName);
    }

    @Override
    public String toString() {
        return "topic://" + physicalName;
    }
}
