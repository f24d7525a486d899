package io.tern.jms.destination;

import io.tern.jms.wire.DestinationKind;
import io.tern.jms.wire.WireDestination;
import jakarta.jms.Destination;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.NamingException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;

/**
 * A queue or topic, named by its physical name. Serializable and Referenceable so it can be bound in JNDI; the
 * reference is read back by {@code io.tern.jms.jndi.TernObjectFactory}.
 */
public abstract sealed class TernDestination implements Destination, Serializable, Referenceable
        permits TernQueue, TernTopic {
    private static final long serialVersionUID = 1L;
    /** The JNDI reference address holding the physical name. */
    public static final String REF_NAME = "physicalName";

    private final String name;

    protected TernDestination(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a destination needs a non-empty name");
        }
        this.name = name;
    }

    /** The physical name. */
    public String name() {
        return name;
    }

    public abstract DestinationKind kind();

    public WireDestination toWire() {
        return new WireDestination(kind(), name);
    }

    /** The destination a wire name stands for; temporary ones come back without an owning connection. */
    public static TernDestination fromWire(WireDestination wire) {
        if (wire == null) {
            return null;
        }
        return switch (wire.kind()) {
            case QUEUE -> new TernQueue(wire.name());
            case TOPIC -> new TernTopic(wire.name());
            case TEMPORARY_QUEUE -> new TernTemporaryQueue(wire.name(), null);
            case TEMPORARY_TOPIC -> new TernTemporaryTopic(wire.name(), null);
        };
    }

    @Override
    public Reference getReference() throws NamingException {
        Reference ref = new Reference(getClass().getName(), "io.tern.jms.jndi.TernObjectFactory", null);
        ref.add(new StringRefAddr(REF_NAME, name));
        return ref;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernDestination d && d.kind() == kind() && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind(), name);
    }

    @Override
    public String toString() {
        return toWire().toString();
    }
}
