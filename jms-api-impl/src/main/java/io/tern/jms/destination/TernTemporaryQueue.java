package io.tern.jms.destination;

import io.tern.jms.wire.DestinationKind;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/** A temporary queue: it lives as long as the connection that created it. */
public final class TernTemporaryQueue extends TernQueue implements TemporaryQueue {
    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    public TernTemporaryQueue(String name, TemporaryDestinationOwner owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TEMPORARY_QUEUE;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new IllegalStateException("temporary queue " + name() + " may only be deleted by the connection that created it");
        }
        owner.deleteTemporaryDestination(this);
    }
}
