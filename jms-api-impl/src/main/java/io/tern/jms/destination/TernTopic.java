package io.tern.jms.destination;

import io.tern.jms.wire.DestinationKind;
import jakarta.jms.Topic;

/** A topic, named by its physical name. */
public sealed class TernTopic extends TernDestination implements Topic permits TernTemporaryTopic {
    private static final long serialVersionUID = 1L;

    public TernTopic(String name) {
        super(name);
    }

    @Override
    public String getTopicName() {
        return name();
    }

    @Override
    public DestinationKind kind() {
        return DestinationKind.TOPIC;
    }
}
