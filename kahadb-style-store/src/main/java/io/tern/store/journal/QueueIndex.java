package io.tern.store.journal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue's live messages in id order, kept compactly: runs ("chunks") of up to {@value #MAX_CHUNK} entries in
 * three primitive arrays (id, packed file and offset, envelope length), 20 bytes an entry. Ids mostly arrive in
 * increasing order, so an add is usually an append to the last chunk; an id out of order (a message moved with a
 * new id, recovery in another order) is inserted where it belongs, splitting a full chunk. A removal at either end
 * of a chunk moves an index, so draining a queue from its head copies nothing; chunks shrink when they empty out and
 * merge with a neighbour when both are small, so the index costs about 20 bytes per live message however it is
 * used.
 *
 * <p>A message submitted to the writer but not written yet has no location: its slot holds {@link #PENDING} and a
 * small side map holds its {@link MessageRef} (with the envelope on the heap) until {@link #written} is called.
 *
 * <p>{@link #snapshot()} shares the chunks' arrays with the snapshot instead of copying them (copy on write): a later
 * change to a slot the snapshot can see copies that one chunk first. Appends past the snapshot's end and removals
 * at a chunk's ends copy nothing. So a checkpoint of a million entries costs the store's lock only a walk over the
 * chunks.
 *
 * <p>Thread-safe: every method holds this object's monitor, briefly (no I/O).
 */
final class QueueIndex {
    static final int MAX_CHUNK = 1024;
    static final int MIN_CHUNK = 8;
    /** The packed location of an entry whose record the writer has not written yet. */
    static final long PENDING = -1L;
    /** An entry holds an offset below 2^32 (data files are at most 1 GiB, a single larger record is alone). */
    static final long MAX_OFFSET = 0xFFFF_FFFFL;

    /** One live entry, as a page of a queue reads it. */
    record Entry(long id, MessageRef ref) {
    }

    /** One chunk as a snapshot sees it: slots [start, end) of arrays nobody changes any more. */
    record ChunkView(long[] ids, long[] locations, int[] lengths, int start, int end) {
    }

    /** A queue as a snapshot sees it; pending slots are resolved through {@code pending}. */
    record View(List<ChunkView> chunks, Map<Long, MessageRef> pending, int size) {
    }

    /** A run of entries in ascending id order, in slots [start, end) of its arrays. */
    private static final class Chunk {
        long[] ids;
        long[] locations;
        int[] lengths;
        int start;
        int end;
        /** Slots below this one are shared with a snapshot: the arrays are copied before such a slot changes. */
        int sharedEnd;

        Chunk(int capacity) {
            ids = new long[capacity];
            locations = new long[capacity];
            lengths = new int[capacity];
        }

        int size() {
            return end - start;
        }

        int capacity() {
            return ids.length;
        }

        long first() {
            return ids[start];
        }

        /** The slot holding {@code id}, or {@code -(insertion slot) - 1}. */
        int search(long id) {
            return Arrays.binarySearch(ids, start, end, id);
        }

        /** Call before changing slots from {@code slot} on. */
        void beforeWrite(int slot) {
            if (slot < sharedEnd) {
                ids = ids.clone();
                locations = locations.clone();
                lengths = lengths.clone();
                sharedEnd = 0;
            }
        }

        /** Moves the entries to new arrays of {@code capacity} slots, from slot 0. */
        void resize(int capacity) {
            long[] newIds = new long[capacity];
            long[] newLocations = new long[capacity];
            int[] newLengths = new int[capacity];
            int n = size();
            System.arraycopy(ids, start, newIds, 0, n);
            System.arraycopy(locations, start, newLocations, 0, n);
            System.arraycopy(lengths, start, newLengths, 0, n);
            ids = newIds;
            locations = newLocations;
            lengths = newLengths;
            start = 0;
            end = n;
            sharedEnd = 0;
        }

        /** Copies slots [from, to) to {@code into}'s end. */
        void copyTo(Chunk into, int from, int to) {
            int n = to - from;
            System.arraycopy(ids, from, into.ids, into.end, n);
            System.arraycopy(locations, from, into.locations, into.end, n);
            System.arraycopy(lengths, from, into.lengths, into.end, n);
            into.end += n;
        }

        /** Moves slots [from, to) by {@code by} (-1 or 1) within the arrays. */
        void shift(int from, int to, int by) {
            beforeWrite(Math.min(from, from + by));
            System.arraycopy(ids, from, ids, from + by, to - from);
            System.arraycopy(locations, from, locations, from + by, to - from);
            System.arraycopy(lengths, from, lengths, from + by, to - from);
        }

        void set(int slot, long id, long location, int length) {
            beforeWrite(slot);
            ids[slot] = id;
            locations[slot] = location;
            lengths[slot] = length;
        }

        long bytes() {
            // object header and fields, then three arrays with their headers (compressed oops)
            return 40 + 3 * 16 + (long) capacity() * (8 + 8 + 4);
        }
    }

    private Chunk[] chunks = new Chunk[1];
    private int chunkCount;
    private int size;
    /** Entries not yet written, by id; null while there is none. */
    private Map<Long, MessageRef> pending;

    /** Packs a location's file and offset into one long; {@link #PENDING} is never a packed location. */
    static long pack(int file, long offset) {
        if (file < 0 || offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("location db-" + file + ".log@" + offset + " cannot be indexed: the "
                    + "file number must be at least 0 and the offset below 2^32");
        }
        return (long) file << 32 | offset;
    }

    static int file(long packed) {
        return (int) (packed >>> 32);
    }

    static long offset(long packed) {
        return packed & MAX_OFFSET;
    }

    /** Adds or replaces a written entry. */
    synchronized void put(long id, Location at) {
        put(id, pack(at.file(), at.offset()), at.length(), null);
    }

    /** Adds or replaces an entry whose record is not written yet; its reads go to {@code ref}. */
    synchronized void putPending(long id, MessageRef ref, int length) {
        put(id, PENDING, length, ref);
    }

    private void put(long id, long location, int length, MessageRef ref) {
        if (chunkCount == 0) {
            addChunk(0, new Chunk(MIN_CHUNK));
        }
        int ci = chunkFor(id);
        Chunk c = chunks[ci];
        int slot = c.search(id);
        if (slot >= 0) {
            if (c.locations[slot] == PENDING) {
                removePending(id);
            }
            c.set(slot, id, location, length);
        } else {
            insert(ci, -slot - 1, id, location, length);
            size++;
        }
        if (ref != null) {
            if (pending == null) {
                pending = new HashMap<>();
            }
            pending.put(id, ref);
        }
    }

    /**
     * The writer wrote the record of the pending entry {@code id}: keep only its location ({@code ref.location()}).
     * Nothing happens when the entry was removed (or replaced) meanwhile.
     */
    synchronized void written(long id, MessageRef ref) {
        if (pending == null || pending.get(id) != ref) {
            return;
        }
        removePending(id);
        Chunk c = chunks[chunkFor(id)];
        int slot = c.search(id);
        Location at = ref.location();
        c.set(slot, id, pack(at.file(), at.offset()), at.length());
    }

    /**
     * Points the entry of {@code id} somewhere else, but only while it is written at {@code expected}: an entry
     * removed (or replaced, or pending) meanwhile stays as it is, so a message consumed while compaction moved it
     * does not come back.
     *
     * @param moved where the envelope is now: a written location, or null for a rewrite not written yet, whose
     *              reads then go to {@code ref} (as for {@link #putPending}) until {@link #written} is called
     * @return true when the entry was changed
     */
    synchronized boolean relocate(long id, Location expected, Location moved, MessageRef ref) {
        if (chunkCount == 0) {
            return false;
        }
        Chunk c = chunks[chunkFor(id)];
        int slot = c.search(id);
        if (slot < 0 || c.locations[slot] == PENDING || !location(c, slot).equals(expected)) {
            return false;
        }
        if (moved != null) {
            c.set(slot, id, pack(moved.file(), moved.offset()), moved.length());
        } else {
            c.set(slot, id, PENDING, expected.length());
            if (pending == null) {
                pending = new HashMap<>();
            }
            pending.put(id, ref);
        }
        return true;
    }

    /** The entry for {@code id}, or null: the pending one, or a new one holding the location. */
    synchronized MessageRef get(long id) {
        if (chunkCount == 0) {
            return null;
        }
        Chunk c = chunks[chunkFor(id)];
        int slot = c.search(id);
        return slot < 0 ? null : ref(c, slot);
    }

    synchronized boolean contains(long id) {
        return chunkCount > 0 && chunks[chunkFor(id)].search(id) >= 0;
    }

    /** Where the envelope of {@code id} is, or null when it is not held or not written yet. */
    synchronized Location location(long id) {
        if (chunkCount == 0) {
            return null;
        }
        Chunk c = chunks[chunkFor(id)];
        int slot = c.search(id);
        return slot < 0 || c.locations[slot] == PENDING ? null : location(c, slot);
    }

    /** Removes and returns the entry for {@code id}, or null. */
    synchronized MessageRef remove(long id) {
        if (chunkCount == 0) {
            return null;
        }
        int ci = chunkFor(id);
        Chunk c = chunks[ci];
        int slot = c.search(id);
        if (slot < 0) {
            return null;
        }
        MessageRef ref = ref(c, slot);
        if (c.locations[slot] == PENDING) {
            removePending(id);
        }
        removeSlot(ci, slot);
        return ref;
    }

    /** Removes every entry, telling {@code removed} about each. */
    synchronized void removeAll(MessageIndex.Removed removed) {
        for (int ci = 0; ci < chunkCount; ci++) {
            Chunk c = chunks[ci];
            for (int slot = c.start; slot < c.end; slot++) {
                long location = c.locations[slot];
                if (location == PENDING) {
                    removed.pending(pending.get(c.ids[slot]));
                } else {
                    removed.written(file(location), c.lengths[slot]);
                }
            }
        }
        chunks = new Chunk[1];
        chunkCount = 0;
        size = 0;
        pending = null;
    }

    /** Up to {@code max} entries with ids above {@code afterId}, in id order: O(log n + max). */
    synchronized List<Entry> after(long afterId, int max) {
        List<Entry> page = new ArrayList<>(Math.min(max, Math.min(size, 1024)));
        if (chunkCount == 0 || max <= 0) {
            return page;
        }
        int ci = chunkFor(afterId);
        int slot = chunks[ci].search(afterId);
        slot = slot >= 0 ? slot + 1 : -slot - 1;
        while (ci < chunkCount && page.size() < max) {
            Chunk c = chunks[ci];
            for (; slot < c.end && page.size() < max; slot++) {
                page.add(new Entry(c.ids[slot], ref(c, slot)));
            }
            ci++;
            if (ci < chunkCount) {
                slot = chunks[ci].start;
            }
        }
        return page;
    }

    synchronized int size() {
        return size;
    }

    /** The highest id held, or {@link Long#MIN_VALUE}. */
    synchronized long maxId() {
        if (chunkCount == 0) {
            return Long.MIN_VALUE;
        }
        Chunk last = chunks[chunkCount - 1];
        return last.ids[last.end - 1];
    }

    /** The entries as they are now, sharing the arrays (see the class comment); O(chunks). */
    synchronized View snapshot() {
        List<ChunkView> views = new ArrayList<>(chunkCount);
        for (int ci = 0; ci < chunkCount; ci++) {
            Chunk c = chunks[ci];
            c.sharedEnd = Math.max(c.sharedEnd, c.end);
            views.add(new ChunkView(c.ids, c.locations, c.lengths, c.start, c.end));
        }
        return new View(views, pending == null ? Map.of() : new HashMap<>(pending), size);
    }

    /** The heap this queue's entries take, estimated from the arrays and objects it holds (compressed oops). */
    synchronized long estimatedBytes() {
        long bytes = 48 + 16 + 4L * chunks.length;
        for (int ci = 0; ci < chunkCount; ci++) {
            bytes += chunks[ci].bytes();
        }
        if (pending != null) {
            // a HashMap node, a boxed Long and the MessageRef (its envelope belongs to the message, not the index)
            bytes += 48 + pending.size() * (32L + 16 + 24 + 8);
        }
        return bytes;
    }

    /** Chunks in use: for tests of the layout. */
    synchronized int chunkCount() {
        return chunkCount;
    }

    private MessageRef ref(Chunk c, int slot) {
        long location = c.locations[slot];
        return location == PENDING ? pending.get(c.ids[slot]) : MessageRef.at(location(c, slot));
    }

    private static Location location(Chunk c, int slot) {
        long location = c.locations[slot];
        return new Location(file(location), offset(location), c.lengths[slot]);
    }

    private void removePending(long id) {
        pending.remove(id);
        if (pending.isEmpty()) {
            pending = null;
        }
    }

    /** The chunk that holds or would hold {@code id}: the last one starting at or below it, else the first. */
    private int chunkFor(long id) {
        int lo = 0;
        int hi = chunkCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (chunks[mid].first() <= id) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void insert(int ci, int slot, long id, long location, int length) {
        Chunk c = chunks[ci];
        if (slot == c.end && c.end == c.capacity() && ci == chunkCount - 1) {
            // appending to the queue with the last chunk's tail full
            if (c.capacity() < MAX_CHUNK) {
                c.resize(c.size() >= c.capacity() / 2 ? c.capacity() * 2 : c.capacity());
                slot = c.end;
            } else {
                c = new Chunk(MIN_CHUNK);
                addChunk(ci + 1, c);
                slot = 0;
            }
        } else if (c.size() == c.capacity()) {
            if (c.capacity() < MAX_CHUNK) {
                slot -= c.start;
                c.resize(c.capacity() * 2);
            } else if (slot == c.start && ci == 0) {
                c = new Chunk(MIN_CHUNK);
                addChunk(0, c);
                slot = 0;
            } else {
                int mid = c.start + c.size() / 2;
                Chunk upper = new Chunk(MAX_CHUNK);
                c.copyTo(upper, mid, c.end);
                c.end = mid;
                addChunk(ci + 1, upper);
                if (slot > mid) {
                    c = upper;
                    slot -= mid;
                }
            }
        }
        insertWithRoom(c, slot, id, location, length);
    }

    /** Inserts into a chunk that has a free slot at one end at least. */
    private static void insertWithRoom(Chunk c, int slot, long id, long location, int length) {
        if (slot == c.end && c.end < c.capacity()) {
            c.set(c.end++, id, location, length);
        } else if (slot == c.start && c.start > 0) {
            c.set(--c.start, id, location, length);
        } else if (c.end < c.capacity() && (c.start == 0 || c.end - slot <= slot - c.start)) {
            c.shift(slot, c.end, 1);
            c.end++;
            c.set(slot, id, location, length);
        } else {
            c.shift(c.start, slot, -1);
            c.start--;
            c.set(slot - 1, id, location, length);
        }
    }

    private void removeSlot(int ci, int slot) {
        Chunk c = chunks[ci];
        if (slot == c.start) {
            c.start++;
        } else if (slot == c.end - 1) {
            c.end--;
        } else if (slot - c.start < c.end - 1 - slot) {
            c.shift(c.start, slot, 1);
            c.start++;
        } else {
            c.shift(slot + 1, c.end, -1);
            c.end--;
        }
        size--;
        if (c.size() == 0) {
            removeChunk(ci);
            return;
        }
        if (c.capacity() > MIN_CHUNK && c.size() <= c.capacity() / 4) {
            c.resize(Math.max(MIN_CHUNK, c.capacity() / 2));
        }
        if (c.size() <= MAX_CHUNK / 8) {
            if (ci + 1 < chunkCount && c.size() + chunks[ci + 1].size() <= MAX_CHUNK / 2) {
                merge(ci);
            } else if (ci > 0 && c.size() + chunks[ci - 1].size() <= MAX_CHUNK / 2) {
                merge(ci - 1);
            }
        }
    }

    /** Merges chunk {@code ci + 1} into a new chunk with chunk {@code ci}. */
    private void merge(int ci) {
        Chunk a = chunks[ci];
        Chunk b = chunks[ci + 1];
        int n = a.size() + b.size();
        Chunk merged = new Chunk(Math.max(MIN_CHUNK, Integer.highestOneBit(n - 1) << 1));
        a.copyTo(merged, a.start, a.end);
        b.copyTo(merged, b.start, b.end);
        chunks[ci] = merged;
        removeChunk(ci + 1);
    }

    private void addChunk(int at, Chunk c) {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        System.arraycopy(chunks, at, chunks, at + 1, chunkCount - at);
        chunks[at] = c;
        chunkCount++;
    }

    private void removeChunk(int at) {
        System.arraycopy(chunks, at + 1, chunks, at, chunkCount - at - 1);
        chunks[--chunkCount] = null;
        if (chunks.length > 4 && chunkCount <= chunks.length / 4) {
            chunks = Arrays.copyOf(chunks, chunks.length / 2);
        }
    }
}
