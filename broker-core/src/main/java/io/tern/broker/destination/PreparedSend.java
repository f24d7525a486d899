package io.tern.broker.destination;

import io.tern.broker.store.StoreBatch;
import java.util.List;

/**
 * A message ready to be routed: exactly one of {@code route} and {@code abandon} is run later.
 *
 * @param storeAdds what the store must add before the message is routed: empty when it is not stored, one add for
 *                  a queue, one per durable subscription it goes to for a topic
 * @param route     makes the message visible to consumers (or schedules it for its delivery time)
 * @param abandon   the message will never be routed (its transaction rolled back, its store write failed): the
 *                  destination stops expecting it
 */
public record PreparedSend(List<StoreBatch.Add> storeAdds, Runnable route, Runnable abandon) {
    public PreparedSend {
        storeAdds = List.copyOf(storeAdds);
    }

    /** A prepared send with nothing to undo when it is abandoned. */
    public PreparedSend(List<StoreBatch.Add> storeAdds, Runnable route) {
        this(storeAdds, route, () -> { });
    }
}
