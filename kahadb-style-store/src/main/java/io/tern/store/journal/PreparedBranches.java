package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prepared XA branches not yet committed or rolled back, in prepare order (by sequence number), each with the
 * data file that holds its PREPARE record (that file must stay while the branch lives). A branch's adds are
 * {@link MessageRef}s into its PREPARE record: invisible to the {@link MessageIndex} until the branch is
 * committed, when the same refs go into it (pending until the COMMIT_PREPARED is written: a compaction rewrite of the
 * PREPARE submitted before the commit may still move them). Changed under the store's lock (or by recovery, alone);
 * the file of a new record is set by the writer thread once it is written.
 */
final class PreparedBranches {
    /** One add of a branch: its queue, id and where its envelope is. */
    record Add(String queue, long id, MessageRef ref) {
    }

    /** One prepared branch and where its record is. */
    static final class Branch {
        final byte[] xid;
        final long sequence;
        final List<Add> adds;
        final List<StoreBatch.Remove> removes;
        /** The data file holding its PREPARE record; -1 until written. Written by the writer thread. */
        volatile int file;
        /** The length of its PREPARE record. */
        volatile long bytes;

        Branch(byte[] xid, long sequence, List<Add> adds, List<StoreBatch.Remove> removes, int file, long bytes) {
            this.xid = xid.clone();
            this.sequence = sequence;
            this.adds = List.copyOf(adds);
            this.removes = List.copyOf(removes);
            this.file = file;
            this.bytes = bytes;
        }

        String hex() {
            return PreparedBranches.hex(xid);
        }

        /**
         * Writer thread: the branch's PREPARE record, {@code record}, is written at {@code at}: the first time, or
         * rewritten by compaction (then it cancels the older copy, which its file must outlive).
         */
        void written(RecordCodec.Encoded record, Location at, FileReferences references) {
            if (file >= 0) {
                references.removed(file, bytes, at.file());
            }
            int[] offsets = record.envelopeOffsets();
            for (int i = 0; i < offsets.length; i++) {
                MessageRef ref = adds.get(i).ref();
                int length = ref.location() == null ? ref.pendingEnvelope().length : ref.location().length();
                ref.written(new Location(at.file(), at.offset() + offsets[i], length));
            }
            file = at.file();
            bytes = at.length();
            references.added(at.file(), at.length());
        }

        /**
         * A copy as it is now, its adds' locations read (a checkpoint's, taken at its writer barrier: the PREPARE is
         * written, and a rewrite after the barrier changes this branch, not the copy).
         */
        Branch copy() {
            List<Add> written = new ArrayList<>(adds.size());
            for (Add add : adds) {
                Location at = add.ref().location();
                if (at == null || file < 0) {
                    throw new IllegalStateException("prepared branch " + hex() + " is not written at the "
                            + "checkpoint's barrier");
                }
                written.add(new Add(add.queue(), add.id(), MessageRef.at(at)));
            }
            return new Branch(xid, sequence, written, removes, file, bytes);
        }
    }

    private final Map<String, Branch> byXid = new HashMap<>();
    private final TreeMap<Long, Branch> bySequence = new TreeMap<>();
    private long lastSequence;

    /** A branch identity as operators see it in logs and reports. */
    static String hex(byte[] xid) {
        return HexFormat.of().formatHex(xid);
    }

    synchronized Branch get(byte[] xid) {
        return byXid.get(hex(xid));
    }

    /** Records a branch; returns the branch of the same identity it replaces (a rewritten PREPARE), or null. */
    synchronized Branch put(Branch branch) {
        Branch replaced = byXid.put(branch.hex(), branch);
        if (replaced != null) {
            bySequence.remove(replaced.sequence);
        }
        bySequence.put(branch.sequence, branch);
        lastSequence = Math.max(lastSequence, branch.sequence);
        return replaced;
    }

    /** Forgets a branch; returns it, or null when {@code xid} is not prepared. */
    synchronized Branch remove(byte[] xid) {
        Branch branch = byXid.remove(hex(xid));
        if (branch != null) {
            bySequence.remove(branch.sequence);
        }
        return branch;
    }

    /** The highest sequence number a branch got so far (0 for none): a checkpoint keeps it. */
    synchronized long lastSequence() {
        return lastSequence;
    }

    /** Restores the highest sequence number a checkpoint kept. */
    synchronized void lastSequence(long sequence) {
        lastSequence = Math.max(lastSequence, sequence);
    }

    /** The sequence number the next prepared branch gets: above every branch recorded so far (or replayed). */
    synchronized long nextSequence() {
        return ++lastSequence;
    }

    /** The branches, in prepare order. */
    synchronized List<Branch> list() {
        return new ArrayList<>(bySequence.values());
    }

    /** The branches whose PREPARE record is in {@code file}, in prepare order. */
    synchronized List<Branch> inFile(int file) {
        List<Branch> found = new ArrayList<>();
        for (Branch b : bySequence.values()) {
            if (b.file == file) {
                found.add(b);
            }
        }
        return found;
    }

    /** True when a branch adds message {@code id} to {@code queue}. */
    synchronized boolean claims(String queue, long id) {
        for (Branch b : bySequence.values()) {
            for (Add a : b.adds) {
                if (a.id == id && a.queue.equals(queue)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The highest id a branch adds to {@code queue}, or {@link Long#MIN_VALUE}. */
    synchronized long maxId(String queue) {
        long max = Long.MIN_VALUE;
        for (Branch b : bySequence.values()) {
            for (Add a : b.adds) {
                if (a.queue.equals(queue)) {
                    max = Math.max(max, a.id);
                }
            }
        }
        return max;
    }

    synchronized int size() {
        return byXid.size();
    }
}
