package io.tern.bench.driver;

import java.util.Arrays;

/**
 * The workloads, each with the same meaning on every provider. Messages are 1 KiB {@code BytesMessage}s whose first
 * eight bytes carry the sender's {@link System#nanoTime()}, so latency is measured in the driver JVM alone.
 *
 * @param id          the name used on the command line and in reports
 * @param kind        what the driver (and the runner) does with it
 * @param producers   producer threads, each on its own connection
 * @param consumers   consumer threads (or topic subscribers), each on its own connection
 * @param persistent  persistent delivery mode (the broker's default durability: fsync before the send returns)
 * @param batch       sends (and receives) per transaction commit; 0 means not transacted
 * @param asyncSend   ask the client to send without waiting for the broker (where that is not already its default)
 * @param summary     what a reader of the report needs to know
 */
public record Scenario(String id, Kind kind, int producers, int consumers, boolean persistent, int batch,
        boolean asyncSend, String summary) {

    /** How a scenario runs. */
    public enum Kind {
        /** Producers send to one queue, consumers receive, for a timed window. */
        QUEUE,
        /** Producers publish to one topic, every subscriber receives every message, for a timed window. */
        TOPIC,
        /** One request in flight, a responder answers on a reply queue; latency is the round trip. */
        REQUEST_REPLY,
        /** A stored backlog: sent with nobody consuming, then drained (see {@link Backlog}). */
        BACKLOG,
        /** The same backlog with the broker killed (SIGKILL) between fill and drain; the restart is timed. */
        RECOVERY,
        /** Start time, idle memory and the memory of many idle connections (see {@link Footprint}). */
        FOOTPRINT
    }

    public static final int MESSAGE_SIZE = 1024;

    public static final Scenario PERSISTENT_1X1 = new Scenario("persistent-1x1", Kind.QUEUE, 1, 1, true, 0, false,
            "1 producer, synchronous persistent sends to a queue, 1 consumer (auto-ack)");
    public static final Scenario PERSISTENT_4X4 = new Scenario("persistent-4x4", Kind.QUEUE, 4, 4, true, 0, false,
            "4 producers, synchronous persistent sends to one queue, 4 consumers (auto-ack)");
    public static final Scenario TRANSACTED_100 = new Scenario("transacted-100", Kind.QUEUE, 1, 1, true, 100, false,
            "1 producer commits every 100 persistent sends; 1 transacted consumer commits every 100 receives");
    public static final Scenario NON_PERSISTENT = new Scenario("non-persistent-1x1", Kind.QUEUE, 1, 1, false, 0,
            true, "1 producer, non-persistent asynchronous sends (Tern asyncSend=true; Classic and Artemis "
                    + "defaults), 1 consumer");
    public static final Scenario TOPIC_1X8 = new Scenario("topic-1x8", Kind.TOPIC, 1, 8, false, 0, true,
            "1 publisher, non-persistent asynchronous sends to a topic (as non-persistent-1x1), 8 subscribers; "
                    + "counts deliveries");
    public static final Scenario REQUEST_REPLY = new Scenario("request-reply", Kind.REQUEST_REPLY, 1, 1, true, 0,
            false, "persistent request to a queue, responder sends a persistent reply to a reply queue; one in "
                    + "flight");
    public static final Scenario BACKLOG = new Scenario("backlog", Kind.BACKLOG, 4, 4, true, 100, false,
            "N persistent messages sent by 4 transacted producers (commit per 100) with nobody consuming, then "
                    + "drained by 4 transacted consumers (commit per 100)");
    public static final Scenario RECOVERY = new Scenario("recovery", Kind.RECOVERY, 4, 4, true, 100, false,
            "the backlog stored, the broker killed with SIGKILL and restarted on its data: process start to ready, "
                    + "then every stored message must be received");
    public static final Scenario FOOTPRINT = new Scenario("footprint", Kind.FOOTPRINT, 0, 0, false, 0, false,
            "broker process start to ready, idle RSS, and RSS with N idle connections (one JMS Connection each)");

    // The order of issue 8: W1 to W8.
    private static final Scenario[] ALL = {PERSISTENT_1X1, PERSISTENT_4X4, TRANSACTED_100, NON_PERSISTENT,
        TOPIC_1X8, REQUEST_REPLY, BACKLOG, RECOVERY, FOOTPRINT};

    public static Scenario[] all() {
        return ALL.clone();
    }

    public static Scenario byId(String id) {
        return Arrays.stream(ALL).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + id + "'; known: "
                        + String.join(", ", Arrays.stream(ALL).map(Scenario::id).toList())));
    }

    /** Whether it runs as a timed window (warm-up, then measured) that yields a {@link Result}. */
    public boolean windowed() {
        return kind == Kind.QUEUE || kind == Kind.TOPIC || kind == Kind.REQUEST_REPLY;
    }

    /** Whether it needs a stored backlog (the runner fills one backlog for both of these). */
    public boolean needsBacklog() {
        return kind == Kind.BACKLOG || kind == Kind.RECOVERY;
    }

    /** What the latency columns mean for this scenario. */
    public String latencyMeaning() {
        return kind == Kind.REQUEST_REPLY ? "round trip" : "send to receive";
    }

    /** What a windowed scenario's rate counts. */
    public String rateUnit() {
        if (kind == Kind.TOPIC) {
            return "deliveries/s";
        }
        return kind == Kind.REQUEST_REPLY ? "round trips/s" : "msg/s";
    }

    /** The queue or topic (and, for request/reply, the reply queue's prefix) this scenario uses. */
    public String queue() {
        return "bench." + id;
    }
}
