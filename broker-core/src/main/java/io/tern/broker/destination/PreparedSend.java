package io.tern.broker.destination;

import io.tern.broker.store.StoreBatch;

/**
 * A message ready to be routed.
 *
 * @param storeAdd what the store must add before the message is routed, or null when it is not stored
 * @param route    makes the message visible to consumers (or schedules it for its delivery time)
 */
public record PreparedSend(StoreBatch.Add storeAdd, Runnable route) {
}
