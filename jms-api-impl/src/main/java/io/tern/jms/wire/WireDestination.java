package io.tern.jms.wire;

import java.util.Objects;

/** A destination as the wire names it: kind and physical name. */
public record WireDestination(DestinationKind kind, String name) {
    public WireDestination {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static WireDestination queue(String name) {
        return new WireDestination(DestinationKind.QUEUE, name);
    }

    public static WireDestination topic(String name) {
        return new WireDestination(DestinationKind.TOPIC, name);
    }

    @Override
    public String toString() {
        return (kind.isQueue() ? "queue://" : "topic://") + name;
    }
}
