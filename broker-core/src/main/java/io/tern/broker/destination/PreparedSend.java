package io.tern.broker.destination;

import io.tern.broker.store.StoreBatch;
import java.util.List;

/**
 * A message ready to be routed.
 *
 * @param storeAdds what the store must add before the message is routed: empty when it is not stored, one add for
 *                  a queue, one per durable subscription it goes to for a topic
 * @param route    makes the message visible to consumers (or schedules it for its delivery time)
 */
public record PreparedSend(List<StoreBatch.Add> storeAdds, Runnable route) {
    public PreparedSend {
        storeAdds = List.copyOf(storeAdds);
    }
}
