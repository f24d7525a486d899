package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact index against a {@link TreeMap} model: random adds, removes, pending writes, pages and snapshots. */
@Timeout(60)
class MessageIndexTest {
    private static Location at(long id) {
        return new Location((int) (id % 97) + 1, (id * 31) % 1_000_000_000L + 16, (int) (id % 5000));
    }

    /** The index's entries read back through pages of {@code page} entries. */
    private static NavigableMap<Long, Location> read(MessageIndex index, String queue, int page) {
        NavigableMap<Long, Location> read = new TreeMap<>();
        long after = Long.MIN_VALUE;
        while (true) {
            List<QueueIndex.Entry> entries = index.after(queue, after, page);
            for (QueueIndex.Entry e : entries) {
                assertThat(e.id()).as("pages ascend").isGreaterThan(after);
                after = e.id();
                read.put(e.id(), e.ref().location());
            }
            if (entries.size() < page) {
                return read;
            }
        }
    }

    private static NavigableMap<Long, Location> read(QueueIndex.View view) {
        NavigableMap<Long, Location> read = new TreeMap<>();
        long previous = Long.MIN_VALUE;
        for (QueueIndex.ChunkView c : view.chunks()) {
            for (int slot = c.start(); slot < c.end(); slot++) {
                long id = c.ids()[slot];
                assertThat(id).isGreaterThan(previous);
                previous = id;
                long packed = c.locations()[slot];
                read.put(id, packed == QueueIndex.PENDING ? view.pending().get(id).location()
                        : new Location(QueueIndex.file(packed), QueueIndex.offset(packed), c.lengths()[slot]));
            }
        }
        return read;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void randomAddsAndRemovesMatchASortedMap(long seed) {
        Random random = new Random(seed);
        MessageIndex index = new MessageIndex();
        TreeMap<Long, Location> model = new TreeMap<>();
        Map<Long, MessageRef> pendingRefs = new TreeMap<>();
        List<Map.Entry<QueueIndex.View, NavigableMap<Long, Location>>> snapshots = new ArrayList<>();
        long next = 1;
        for (int step = 0; step < 60_000; step++) {
            int op = random.nextInt(100);
            if (op < 45) {
                // mostly appends in increasing order, sometimes an id anywhere (moves, recovery order)
                long id = random.nextInt(10) == 0 ? random.nextInt((int) next + 100) : next++;
                if (model.containsKey(id)) {
                    continue;
                }
                if (random.nextInt(4) == 0) {
                    MessageRef ref = MessageRef.pending(new byte[] {1});
                    index.putPending("q", id, ref, at(id).length());
                    pendingRefs.put(id, ref);
                } else {
                    index.put("q", id, at(id));
                }
                model.put(id, at(id));
            } else if (op < 55 && !pendingRefs.isEmpty()) {
                long id = pendingRefs.keySet().iterator().next();
                MessageRef ref = pendingRefs.remove(id);
                ref.written(at(id));
                index.written("q", id, ref);
            } else if (op < 80 && !model.isEmpty()) {
                // consume from the head, mostly
                long id = model.firstKey();
                Long anywhere = model.ceilingKey((long) random.nextInt((int) next + 1));
                if (random.nextInt(3) == 0 && anywhere != null) {
                    id = anywhere;
                }
                MessageRef removed = index.remove("q", id);
                assertThat(removed).as("remove %d", id).isNotNull();
                MessageRef pending = pendingRefs.remove(id);
                if (pending != null) {
                    assertThat(removed).isSameAs(pending);
                } else {
                    assertThat(removed.location()).isEqualTo(model.get(id));
                }
                model.remove(id);
            } else if (op < 90) {
                long id = random.nextInt((int) next + 10);
                assertThat(index.contains("q", id)).isEqualTo(model.containsKey(id));
                if (model.containsKey(id) && !pendingRefs.containsKey(id)) {
                    assertThat(index.location("q", id)).isEqualTo(model.get(id));
                    assertThat(index.get("q", id).location()).isEqualTo(model.get(id));
                }
                assertThat(index.remove("q", -7)).as("an id never added").isNull();
            } else if (op < 91) {
                writeAllPending(index, pendingRefs);
                QueueIndex.View view = index.snapshot().queues().getOrDefault("q",
                        new QueueIndex.View(List.of(), Map.of(), 0));
                snapshots.add(Map.entry(view, new TreeMap<>(model)));
            } else {
                long after = random.nextInt((int) next + 10) - 5;
                int max = 1 + random.nextInt(300);
                List<Long> expected = model.tailMap(after, false).keySet().stream().limit(max).toList();
                assertThat(index.after("q", after, max)).extracting(QueueIndex.Entry::id)
                        .containsExactlyElementsOf(expected);
            }
            assertThat(index.count("q")).isEqualTo(model.size());
            assertThat(index.maxId("q")).isEqualTo(model.isEmpty() ? Long.MIN_VALUE : model.lastKey());
        }
        writeAllPending(index, pendingRefs);
        assertThat(read(index, "q", 333)).isEqualTo(model);
        // every snapshot still shows the entries of its moment, whatever changed after it
        for (Map.Entry<QueueIndex.View, NavigableMap<Long, Location>> s : snapshots) {
            assertThat(read(s.getKey())).isEqualTo(s.getValue());
        }
    }

    private static void writeAllPending(MessageIndex index, Map<Long, MessageRef> pendingRefs) {
        pendingRefs.forEach((id, ref) -> {
            ref.written(at(id));
            index.written("q", id, ref);
        });
        pendingRefs.clear();
    }

    @Test
    void aPendingEntryReadsItsHeapCopyUntilWrittenAndAWriteAfterItsRemovalChangesNothing() {
        MessageIndex index = new MessageIndex();
        MessageRef ref = MessageRef.pending(new byte[] {7});
        index.putPending("q", 5, ref, 1);
        assertThat(index.get("q", 5)).isSameAs(ref);
        assertThat(index.location("q", 5)).isNull();
        ref.written(new Location(1, 100, 1));
        index.written("q", 5, ref);
        assertThat(index.location("q", 5)).isEqualTo(new Location(1, 100, 1));
        assertThat(index.get("q", 5).pendingEnvelope()).isNull();

        MessageRef gone = MessageRef.pending(new byte[] {8});
        index.putPending("q", 6, gone, 1);
        assertThat(index.remove("q", 6)).isSameAs(gone);
        MessageRef again = MessageRef.pending(new byte[] {9});
        index.putPending("q", 6, again, 1);
        gone.written(new Location(1, 200, 1));
        index.written("q", 6, gone);
        assertThat(index.get("q", 6)).as("the re-added entry is not the removed one").isSameAs(again);
    }

    @Test
    void removeAllCountsEntriesPerFileAndPendingOnes() {
        MessageIndex index = new MessageIndex();
        index.put("c", 1, new Location(3, 16, 10));
        index.put("c", 2, new Location(3, 40, 10));
        index.put("c", 3, new Location(4, 16, 10));
        MessageRef pending = MessageRef.pending(new byte[1]);
        index.putPending("c", 4, pending, 1);
        MessageIndex.Removed removed = index.removeAll("c");
        pending.written(new Location(5, 16, 1));
        Map<Integer, Integer> perFile = new TreeMap<>();
        removed.forEachFile((file, n) -> perFile.merge(file, n, Integer::sum));
        assertThat(perFile).containsExactly(Map.entry(3, 2), Map.entry(4, 1), Map.entry(5, 1));
        assertThat(index.queueNames()).isEmpty();
        assertThat(index.count("c")).isZero();
    }

    @Test
    void idsInDescendingOrderAndDrainingFromBothEndsKeepTheOrder() {
        MessageIndex index = new MessageIndex();
        for (long id = 5000; id >= 1; id--) {
            index.put("q", id, at(id));
        }
        assertThat(index.after("q", 0, 3)).extracting(QueueIndex.Entry::id).containsExactly(1L, 2L, 3L);
        for (long id = 1; id <= 2000; id++) {
            index.remove("q", id);
            index.remove("q", 5001 - id);
        }
        assertThat(index.count("q")).isEqualTo(1000);
        assertThat(index.after("q", Long.MIN_VALUE, 2000)).extracting(QueueIndex.Entry::id).first().isEqualTo(2001L);
        assertThat(index.maxId("q")).isEqualTo(3000);
    }

    /**
     * The heap the index takes per message, estimated from its arrays: 1,000,000 messages added in id order, then a
     * queue drained from its head and one with every other message consumed (the worst ordinary pattern).
     */
    @Test
    void aMillionMessagesCostAbout20BytesEach() {
        MessageIndex index = new MessageIndex();
        int n = 1_000_000;
        for (long id = 1; id <= n; id++) {
            index.put("orders", id, new Location(1 + (int) (id / 30_000), 16 + id * 1100 % 33_000_000, 1024));
        }
        double appended = (double) index.estimatedBytes() / n;
        System.out.printf("index: %.1f bytes per message for %,d messages added in order%n", appended, n);
        assertThat(appended).isLessThan(21);

        for (long id = 1; id <= n / 2; id++) {
            index.remove("orders", id);
        }
        double drained = (double) index.estimatedBytes() / index.size();
        System.out.printf("index: %.1f bytes per message after draining half from the head%n", drained);
        assertThat(drained).isLessThan(21);

        for (long id = n / 2 + 1; id <= n; id += 2) {
            index.remove("orders", id);
        }
        double sparse = (double) index.estimatedBytes() / index.size();
        System.out.printf("index: %.1f bytes per message with every other message consumed%n", sparse);
        assertThat(sparse).isLessThanOrEqualTo(41);
    }

    @Test
    void relocateAppliesOnlyWhileTheEntryIsWhereItWasFound() {
        MessageIndex index = new MessageIndex();
        Location old = new Location(1, 16, 10);
        Location moved = new Location(7, 40, 10);
        index.put("q", 1, old);
        assertThat(index.relocate("q", 1, new Location(1, 99, 10), moved)).as("not where it was found").isFalse();
        assertThat(index.location("q", 1)).isEqualTo(old);
        assertThat(index.relocate("q", 1, old, moved)).isTrue();
        assertThat(index.location("q", 1)).isEqualTo(moved);

        index.remove("q", 1);
        assertThat(index.relocate("q", 1, moved, old)).as("a removed message does not come back").isFalse();
        assertThat(index.contains("q", 1)).isFalse();
        assertThat(index.relocate("nowhere", 1, old, moved)).isFalse();
    }

    @Test
    void aRewriteInFlightMakesTheEntryPendingAndARemoveMeanwhileTakesItOut() {
        MessageIndex index = new MessageIndex();
        Location old = new Location(1, 16, 3);
        index.put("q", 1, old);
        index.put("q", 2, new Location(1, 60, 3));
        MessageIndex.Snapshot before = index.snapshot();

        // message 1: moved, the MOVE written later
        MessageRef moving = MessageRef.pending(new byte[] {1, 2, 3});
        assertThat(index.relocate("q", 1, old, moving)).isTrue();
        assertThat(index.get("q", 1)).as("reads use the heap copy meanwhile").isSameAs(moving);
        assertThat(index.relocate("q", 1, old, MessageRef.pending(new byte[3]))).as("pending: not at old").isFalse();
        moving.written(new Location(5, 100, 3));
        index.written("q", 1, moving);
        assertThat(index.location("q", 1)).isEqualTo(new Location(5, 100, 3));

        // message 2: consumed after its MOVE was submitted, before it was written
        MessageRef gone = MessageRef.pending(new byte[] {4, 5, 6});
        assertThat(index.relocate("q", 2, new Location(1, 60, 3), gone)).isTrue();
        assertThat(index.remove("q", 2)).as("the remove learns where its copy will be").isSameAs(gone);
        gone.written(new Location(5, 140, 3));
        index.written("q", 2, gone);
        assertThat(index.contains("q", 2)).as("the MOVE's write does not bring it back").isFalse();

        List<String> inOne = new ArrayList<>();
        MessageIndex.forEach(before, (queue, id, at) -> inOne.add(queue + " " + id + " " + at), false);
        assertThat(inOne).as("the snapshot before it all").containsExactly("q 1 db-1.log@16+3", "q 2 db-1.log@60+3");
    }

    @Test
    void forEachInFileFindsTheWrittenEntriesOfOneFile() {
        MessageIndex index = new MessageIndex();
        index.put("a", 1, new Location(1, 16, 10));
        index.put("a", 2, new Location(2, 16, 10));
        index.put("b", 7, new Location(1, 90, 10));
        index.putPending("b", 8, MessageRef.pending(new byte[1]), 1);
        List<String> found = new ArrayList<>();
        index.forEachInFile(1, (queue, id, at) -> found.add(queue + " " + id + " " + at));
        assertThat(found).containsExactlyInAnyOrder("a 1 db-1.log@16+10", "b 7 db-1.log@90+10");
    }
}
