package io.tern.broker.destination;

/**
 * A snapshot of one destination's counters, for tests and monitoring. For a topic the message counts are summed
 * over its subscriptions.
 *
 * @param name      the destination's name
 * @param queue     true for a queue, false for a topic
 * @param pending   messages waiting for a consumer, held in memory or (while the destination pages) in the store only
 * @param inFlight  messages delivered and not yet settled
 * @param scheduled messages held until their delivery time
 * @param consumers consumers attached
 * @param enqueued  messages accepted since start
 * @param consumed  messages acknowledged since start
 * @param expired   messages dropped because they expired
 * @param paged     of the pending messages, those in the store only (the destination pages: its backlog is larger
 *                  than it may hold in memory)
 */
public record DestinationStats(String name, boolean queue, int pending, int inFlight, int scheduled, int consumers,
                               long enqueued, long consumed, long expired, int paged) {

    /** Every message the destination holds: pending, in flight and scheduled. */
    public int messageCount() {
        return pending + inFlight + scheduled;
    }
}
