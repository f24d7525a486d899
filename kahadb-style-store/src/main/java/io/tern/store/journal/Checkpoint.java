package io.tern.store.journal;

import java.util.List;

/**
 * What one checkpoint holds: the message index, the durable subscriptions (each with the data file of its record)
 * and the file references, exactly as they were when the journal reached {@code position}. The snapshot parts are
 * taken under the store's lock and the position and references at a writer barrier right after (see
 * {@link JournalStore}), so they agree. {@link CheckpointWriter} writes it; {@link CheckpointReader} reads it back.
 */
record Checkpoint(JournalPosition position, MessageIndex.Snapshot messages,
                  List<SubscriptionIndex.Entry> subscriptions, FileReferences.Snapshot files) {
}
