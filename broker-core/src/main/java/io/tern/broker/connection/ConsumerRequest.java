package io.tern.broker.connection;

import io.tern.jms.wire.Frame;

/** Checks of a CONSUMER_OPEN's flags and fields that need no broker state. */
final class ConsumerRequest {
    private ConsumerRequest() {
    }

    /** Why the request is refused, or null when the broker can open the consumer. */
    static String refusal(Frame.ConsumerOpen f) {
        boolean named = f.has(Frame.ConsumerOpen.DURABLE) || f.has(Frame.ConsumerOpen.SHARED);
        if (f.has(Frame.ConsumerOpen.BROWSER)) {
            if (named || f.has(Frame.ConsumerOpen.NO_LOCAL)) {
                return "a browser cannot also be durable, shared or no-local (flags " + f.flags() + ")";
            }
            if (!f.destination().kind().isQueue()) {
                return "only a queue can be browsed, not " + f.destination();
            }
        }
        if (named) {
            if (!f.destination().kind().isQueue() && (f.subscriptionName() == null
                    || f.subscriptionName().isEmpty())) {
                return "a durable or shared subscription needs a subscription name";
            }
            if (f.destination().kind().isQueue()) {
                return "durable and shared subscriptions are for topics, not " + f.destination();
            }
            if (f.has(Frame.ConsumerOpen.SHARED) && f.has(Frame.ConsumerOpen.NO_LOCAL)) {
                return "a shared subscription cannot be no-local";
            }
        }
        if (f.prefetch() < 0) {
            return "prefetch " + f.prefetch() + " is negative";
        }
        return null;
    }
}
