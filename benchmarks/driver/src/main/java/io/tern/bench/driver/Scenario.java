package io.tern.bench.driver;

import java.util.Arrays;

/**
 * The workloads, each with the same meaning on every provider. Messages are 1 KiB {@code BytesMessage}s whose first
 * eight bytes carry the sender's {@link System#nanoTime()}, so latency is measured in the driver JVM alone.
 *
 * @param id            the name used on the command line and in reports
 * @param producers     producer threads, each on its own connection
 * @param consumers     consumer threads, each on its own connection
 * @param persistent    persistent delivery mode (the broker's default durability: fsync before the send returns)
 * @param batch         sends (and receives) per transaction commit; 0 means not transacted
 * @param asyncSend     ask the client to send without waiting for the broker (where that is not already its default)
 * @param requestReply  one request in flight, a responder answers on a reply queue; latency is the round trip
 * @param summary       what a reader of the report needs to know
 */
public record Scenario(String id, int producers, int consumers, boolean persistent, int batch, boolean asyncSend,
        boolean requestReply, String summary) {

    public static final int MESSAGE_SIZE = 1024;

    public static final Scenario PERSISTENT_1X1 = new Scenario("persistent-1x1", 1, 1, true, 0, false, false,
            "1 producer, synchronous persistent sends to a queue, 1 consumer (auto-ack)");
    public static final Scenario PERSISTENT_4X4 = new Scenario("persistent-4x4", 4, 4, true, 0, false, false,
            "4 producers, synchronous persistent sends to one queue, 4 consumers (auto-ack)");
    public static final Scenario NON_PERSISTENT = new Scenario("non-persistent-1x1", 1, 1, false, 0, true, false,
            "1 producer, non-persistent asynchronous sends (Tern asyncSend=true; Classic and Artemis defaults), 1 consumer");
    public static final Scenario REQUEST_REPLY = new Scenario("request-reply", 1, 1, true, 0, false, true,
            "persistent request to a queue, responder sends a persistent reply to a reply queue; one in flight");
    public static final Scenario TRANSACTED_100 = new Scenario("transacted-100", 1, 1, true, 100, false, false,
            "1 producer commits every 100 persistent sends; 1 transacted consumer commits every 100 receives");

    private static final Scenario[] ALL = {PERSISTENT_1X1, PERSISTENT_4X4, NON_PERSISTENT, REQUEST_REPLY,
        TRANSACTED_100};

    public static Scenario[] all() {
        return ALL.clone();
    }

    public static Scenario byId(String id) {
        return Arrays.stream(ALL).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + id + "'; known: "
                        + String.join(", ", Arrays.stream(ALL).map(Scenario::id).toList())));
    }

    /** What the latency columns mean for this scenario. */
    public String latencyMeaning() {
        return requestReply ? "round trip" : "send to receive";
    }

    /** The queue (and, for request/reply, the reply queue's prefix) this scenario uses. */
    public String queue() {
        return "bench." + id;
    }
}
