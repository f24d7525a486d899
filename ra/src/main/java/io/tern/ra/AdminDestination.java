package io.tern.ra;

import jakarta.resource.Referenceable;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

/**
 * What the adapter's two admin objects ({@link AdminQueue}, {@link AdminTopic}) share: the one property
 * {@code PhysicalName}, the destination's name on the broker, and the JNDI reference the server gives it.
 */
public abstract class AdminDestination implements Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    private String physicalName;
    private transient Reference reference;

    protected AdminDestination(String physicalName) {
        this.physicalName = physicalName;
    }

    public String getPhysicalName() {
        return physicalName;
    }

    public void setPhysicalName(String physicalName) {
        this.physicalName = physicalName;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    /** {@code queue} or {@code topic}, for {@link #toString()}. */
    abstract String kind();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass()
                && Objects.equals(((AdminDestination) o).physicalName, physicalName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), physicalName);
    }

    @Override
    public String toString() {
        return kind() + "://" + physicalName;
    }
}
