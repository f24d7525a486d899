package io.tern.broker.destination;

import io.tern.broker.selector.MessageFilter;

/**
 * What a CONSUMER_OPEN asks of a durable or shared subscription.
 *
 * @param clientId     the connection's client id, or null when it has none
 * @param name         the subscription name
 * @param selector     the selector text, or null (blank means none)
 * @param filter       the parsed selector
 * @param noLocal      skip messages of this client id (unshared durable only)
 * @param shared       a shared subscription
 * @param durable      a durable subscription
 * @param connectionId the consumer's connection
 */
public record SubscriptionRequest(String clientId, String name, String selector, MessageFilter filter,
                                  boolean noLocal, boolean shared, boolean durable, String connectionId) {
    public SubscriptionRequest {
        selector = selector == null || selector.isBlank() ? null : selector;
    }

    /** "durable subscription 'n' of client id 'c'", for errors and logs. */
    public String describe() {
        return (shared ? "shared " : "") + (durable ? "durable " : "non-durable ") + "subscription '" + name + "' "
                + (clientId == null ? "(no client id)" : "of client id '" + clientId + "'");
    }
}
