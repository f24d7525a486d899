package io.tern.broker.connection;

import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;

/** The CONSUMER_OPEN features this broker does not offer yet, and how it refuses them. */
final class ConsumerRequest {
    private ConsumerRequest() {
    }

    /** Why the request is refused, or null when the broker can open the consumer. */
    static String refusal(Frame.ConsumerOpen f) {
        if (f.selector() != null && !f.selector().isBlank()) {
            return "message selectors are not supported yet";
        }
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

    static ErrorCode refusalCode(Frame.ConsumerOpen f) {
        return f.selector() != null && !f.selector().isBlank() ? ErrorCode.INVALID_SELECTOR : ErrorCode.ILLEGAL_STATE;
    }
}
