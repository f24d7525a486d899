package io.tern.broker.store;

import java.util.Objects;

/**
 * A durable subscription as a store keeps it: what the broker needs to rebuild it after a restart. Its messages are
 * stored like a queue's, in the container named {@link #container()}: {@link Store#add}, {@link Store#remove},
 * {@link Store#commit} and {@link Store#recover} take that name where they take a queue's.
 *
 * @param clientId  the client id it belongs to, or null for a shared subscription made without one
 * @param name      the subscription name
 * @param topic     the topic it subscribes to
 * @param selector  its message selector, or null
 * @param noLocal   it skips messages published by connections with its client id
 * @param shared    a shared durable subscription (several consumers may read it at once)
 * @param container where its messages are stored; chosen by the broker, unique for each subscription ever made
 *                  (replacing a subscription makes a new container), and never the name of a queue
 */
public record StoredSubscription(String clientId, String name, String topic, String selector, boolean noLocal,
                                 boolean shared, String container) {
    public StoredSubscription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(container, "container");
    }
}
