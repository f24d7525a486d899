package io.tern.broker.connection;

import io.tern.jms.wire.Frame;

/** The CONSUMER_OPEN features this broker does not offer yet. */
final class ConsumerRequest {
    private ConsumerRequest() {
    }

    /** Why the request is refused, or null when the broker can open the consumer. */
    static String refusal(Frame.ConsumerOpen f) {
        if (f.has(Frame.ConsumerOpen.DURABLE)) {
            return "durable subscriptions are not supported yet";
        }
        if (f.has(Frame.ConsumerOpen.SHARED)) {
            return "shared subscriptions are not supported yet";
        }
        if (f.has(Frame.ConsumerOpen.BROWSER)) {
            return "queue browsers are not supported yet";
        }
        if (f.prefetch() < 0) {
            return "prefetch " + f.prefetch() + " is negative";
        }
        return null;
    }
}
