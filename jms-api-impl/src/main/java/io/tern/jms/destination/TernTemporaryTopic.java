package io.tern.jms.destination;

import io.tern.jms.wire.DestinationKind;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/** A temporary topic: it lives as long as the connection that created it. */
public final class TernTemporaryTopic extends TernTopic implements TemporaryTopic {
    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    public TernTemporaryTopic(String name, TemporaryDestinationOwner owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TEMPORARY_TOPIC;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new IllegalStateException("temporary topic " + name() + " may only be deleted by the connection that created it");
        }
        owner.deleteTemporaryDestination(this);
    }
}
