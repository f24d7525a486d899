package io.tern.store.journal;

import java.util.List;

/**
 * What one checkpoint holds: everything replay rebuilds, exactly as it was when the journal reached
 * {@code position}: the message index, the durable subscriptions, the prepared XA branches (and the highest branch
 * sequence number given so far), the delivered marks (each with the data file of its record) and the file
 * references. The index snapshot and which subscriptions, branches and marks exist are taken under the store's
 * lock; the position, the references and the files those records are in are read at a writer barrier right after
 * (see {@link JournalStore}), so they agree. {@link CheckpointWriter} writes it; {@link CheckpointReader} reads it
 * back.
 *
 * @param subscriptions copies taken at the barrier, in the order recorded
 * @param branches      copies taken at the barrier, in prepare order
 * @param marks         copies taken at the barrier, by container
 */
record Checkpoint(JournalPosition position, MessageIndex.Snapshot messages,
                  List<SubscriptionIndex.Entry> subscriptions, List<PreparedBranches.Branch> branches,
                  long lastBranchSequence, List<MarkIndex.Entry> marks, FileReferences.Snapshot files) {
}
