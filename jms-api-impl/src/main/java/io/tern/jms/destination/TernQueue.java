package io.tern.jms.destination;

import io.tern.jms.wire.DestinationKind;
import jakarta.jms.Queue;

/** A queue, named by its physical name. */
public sealed class TernQueue extends TernDestination implements Queue permits TernTemporaryQueue {
    private static final long serialVersionUID = 1L;

    public TernQueue(String name) {
        super(name);
    }

    @Override
    public String getQueueName() {
        return name();
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.QUEUE;
    }
}
