package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer against a scripted sink: batching, ordering, failure. */
@Timeout(20)
class GroupCommitWriterTest {

    /** A sink that counts calls, can hold the writer inside a force, and can fail. */
    static final class ScriptedSink implements RecordSink {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        final CountDownLatch inFirstForce = new CountDownLatch(1);
        final CountDownLatch releaseFirstForce = new CountDownLatch(1);
        volatile IOException failAppend;
        /** Runs inside each force with its number (1 for the first), on the writer thread; null: nothing. */
        volatile IntConsumer duringForce;
        long offset;

        @Override
        public Location[] append(ByteBuffer[] records, int count) throws IOException {
            if (failAppend != null) {
                throw failAppend;
            }
            appends.incrementAndGet();
            Location[] locations = new Location[count];
            for (int i = 0; i < count; i++) {
                locations[i] = new Location(1, offset, records[i].remaining());
                offset += records[i].remaining();
            }
            return locations;
        }

        @Override
        public void force() {
            int n = forces.incrementAndGet();
            IntConsumer during = duringForce;
            if (during != null) {
                during.accept(n);
            }
            if (n == 1) {
                inFirstForce.countDown();
                try {
                    releaseFirstForce.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public JournalPosition position() {
            return new JournalPosition(1, offset);
        }

        @Override
        public String currentFile() {
            return "/data/db-1.log";
        }
    }

    private static ByteBuffer record(int n) {
        return ByteBuffer.allocate(8).putInt(0, n);
    }

    @Test
    void recordsWaitingDuringAForceShareTheNextWriteAndForce() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            CompletableFuture<Void> first = writer.submit(record(0), at -> { });
            assertThat(sink.inFirstForce.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            List<Location> written = new CopyOnWriteArrayList<>();
            for (int i = 1; i <= 100; i++) {
                waiting.add(writer.submit(record(i), written::add));
            }
            assertThat(first).isNotDone();
            sink.releaseFirstForce.countDown();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(first).isCompleted();
            assertThat(sink.appends).hasValue(2);
            assertThat(sink.forces).hasValue(2);
            assertThat(written).extracting(Location::offset).isSorted().doesNotHaveDuplicates().hasSize(100);
            assertThat(writer.batchCount()).isEqualTo(2);
        }
    }

    /** A sink whose forces all return at once. */
    private static ScriptedSink unheldSink() {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown();
        return sink;
    }

    /** A writer (policy always) that polls for up to {@code spinMicros} after a batch. */
    private static GroupCommitWriter polling(ScriptedSink sink, int spinMicros) {
        return new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, spinMicros, "t", () -> { });
    }

    /** Submits records one at a time, each once the one before is durable. */
    private static void oneByOne(GroupCommitWriter writer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            writer.submit(record(i), at -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Submits records one at a time, each once the one before is durable and the writer polls for the next (so the
     * writer must poll after each of them).
     */
    private static void whileItPolls(GroupCommitWriter writer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            while (!writer.pollingNow()) {
                Thread.onSpinWait(); // the class's timeout ends a writer that never polls
            }
            writer.submit(record(i), at -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordRightBehindABatchIsTakenByThePollNotByWakingAParkedWriter() throws Exception {
        ScriptedSink sink = unheldSink();
        try (GroupCommitWriter writer = polling(sink, 1_000_000)) {
            oneByOne(writer, GroupCommitWriter.SINGLE_BATCHES);
            whileItPolls(writer, 4);
            // the polls after the 8th to the 11th batch each found the next record, submitted well within 1 s
            assertThat(writer.spinsCaught()).isEqualTo(4);
            assertThat(writer.spinsMissed()).isZero();
            assertThat(sink.forces).hasValue(GroupCommitWriter.SINGLE_BATCHES + 4);
        }
    }

    @Test
    void aWriterWhoseRecordsComeFarApartStopsPolling() throws Exception {
        ScriptedSink sink = unheldSink();
        try (GroupCommitWriter writer = polling(sink, 20_000)) {
            oneByOne(writer, GroupCommitWriter.SINGLE_BATCHES);
            for (int i = 0; i < 4; i++) {
                Thread.sleep(100); // the workload: records 100 ms apart, five times the 20 ms poll
                writer.submit(record(i), at -> { }).get(10, TimeUnit.SECONDS);
            }
            // the poll after the 8th batch times out; every park after it lasts longer than the spin time, so the
            // writer does not poll again
            assertThat(writer.spinsMissed()).isEqualTo(1);
            assertThat(writer.spinsCaught()).isZero();
        }
    }

    @Test
    void recordsOfSeveralSendersSharingAForceStopThePolling() throws Exception {
        ScriptedSink sink = unheldSink();
        try (GroupCommitWriter writer = polling(sink, 1_000_000)) {
            List<CompletableFuture<Void>> together = new CopyOnWriteArrayList<>();
            int single = GroupCommitWriter.SINGLE_BATCHES + 2;
            sink.duringForce = n -> {
                if (n == single) { // two senders' records arrive during this force and share the next one
                    together.add(writer.submit(record(-1), at -> { }));
                    together.add(writer.submit(record(-2), at -> { }));
                }
            };
            oneByOne(writer, GroupCommitWriter.SINGLE_BATCHES);
            whileItPolls(writer, single - GroupCommitWriter.SINGLE_BATCHES);
            CompletableFuture.allOf(together.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long caught = writer.spinsCaught();
            assertThat(caught).isEqualTo(2); // it polled before
            oneByOne(writer, GroupCommitWriter.SINGLE_BATCHES - 1);
            assertThat(writer.spinsCaught()).isEqualTo(caught);
            assertThat(writer.spinsMissed()).isZero();
            assertThat(sink.forces).hasValue(single + GroupCommitWriter.SINGLE_BATCHES);
        }
    }

    @Test
    void withoutASpinTimeTheWriterNeverPolls() throws Exception {
        ScriptedSink sink = unheldSink();
        try (GroupCommitWriter writer = polling(sink, 0)) {
            oneByOne(writer, GroupCommitWriter.SINGLE_BATCHES + 4);
            assertThat(writer.spinsCaught()).isZero();
            assertThat(writer.spinsMissed()).isZero();
        }
    }

    @Test
    void aFailedWriteFailsItsFuturesNamingTheFileAndRefusesLaterWrites() {
        ScriptedSink sink = new ScriptedSink();
        sink.failAppend = new IOException("No space left on device");
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            CompletableFuture<Void> failed = writer.submit(record(1), at -> { });
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(JournalException.class)
                    .hasMessageContaining("/data/db-1.log").hasMessageContaining("No space left on device");
            sink.failAppend = null;
            CompletableFuture<Void> later = writer.submit(record(2), at -> { });
            assertThat(later).isCompletedExceptionally();
            assertThat(writer.failure()).isNotNull();
            assertThat(sink.appends).hasValue(0);
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndRefusesLaterWrites() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown();
        GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.NEVER, 1000, "t", () -> { });
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(writer.submit(record(i), at -> { }));
        }
        writer.close();
        for (CompletableFuture<Void> f : futures) {
            assertThat(f).isCompleted();
        }
        assertThat(sink.forces).as("policy never still forces once at close").hasValue(1);
        assertThat(writer.submit(record(99), at -> { })).isCompletedExceptionally();
    }

    @Test
    void aBarrierRunsAfterEveryEarlierRecordIsWrittenAndForcedWithThePositionAfterThem() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.NEVER, 1000, "t", () -> { })) {
            List<Location> written = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                writer.submit(record(i), written::add);
            }
            CompletableFuture<Integer> seen = writer.barrier(at -> {
                assertThat(at).isEqualTo(new JournalPosition(1, 80));
                return written.size();
            });
            CompletableFuture<Void> after = writer.submit(record(10), written::add);
            assertThat(seen.get(10, TimeUnit.SECONDS)).as("records written before the barrier ran").isEqualTo(10);
            assertThat(sink.forces).as("policy never, but a barrier forces").hasValue(1);
            after.get(10, TimeUnit.SECONDS);
            assertThat(written.get(10).offset()).isEqualTo(80);
            CompletableFuture<Object> failing = writer.barrier(at -> {
                throw new IllegalStateException("boom");
            });
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
            writer.submit(record(11), at -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnforcedRecordIsWrittenInOrderWithoutAForceAndTheNextForcedBatchCoversIt() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            writer.submit(record(0), at -> order.add(0)).get(10, TimeUnit.SECONDS);
            assertThat(sink.forces.get()).isEqualTo(1);

            writer.submitUnforced(record(1), at -> order.add(1)).get(10, TimeUnit.SECONDS);
            assertThat(sink.appends.get()).isEqualTo(2);
            assertThat(sink.forces.get()).as("a batch of unforced records alone is not forced").isEqualTo(1);

            writer.submit(record(2), at -> order.add(2)).get(10, TimeUnit.SECONDS);
            assertThat(sink.forces.get()).as("the next forced record forces, covering the one before").isEqualTo(2);
            assertThat(order).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aBarrierAndTheCloseForceUnforcedRecords() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown();
        GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { });
        try {
            writer.submitUnforced(record(1), at -> { }).get(10, TimeUnit.SECONDS);
            assertThat(sink.forces.get()).isZero();
            writer.barrier(at -> at).get(10, TimeUnit.SECONDS);
            assertThat(sink.forces.get()).as("a checkpoint's barrier forces what is written").isEqualTo(1);

            writer.submitUnforced(record(2), at -> { }).get(10, TimeUnit.SECONDS);
            assertThat(sink.forces.get()).isEqualTo(1);
        } finally {
            writer.close();
        }
        assertThat(sink.forces.get()).as("the close forces what is written").isEqualTo(2);
    }

    @Test
    void afterWriteRunsOnceTheRecordIsWrittenWhileItsForceIsStillUnderWay() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            CountDownLatch written = new CountDownLatch(1);
            CompletableFuture<Void> durable = writer.submit(record(0), at -> { }, written::countDown);
            assertThat(sink.inFirstForce.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(written.await(10, TimeUnit.SECONDS)).as("ran during the force").isTrue();
            assertThat(durable).isNotDone();
            sink.releaseFirstForce.countDown();
            durable.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterWriteNeverRunsWhenTheWriteFails() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.failAppend = new IOException("boom");
        AtomicInteger ran = new AtomicInteger();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            CompletableFuture<Void> failing = writer.submit(record(0), at -> { }, ran::incrementAndGet);
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
        }
        assertThat(ran.get()).isZero();
    }

    @Test
    void aBatchOfQuickRecordsCompletesOnTheWriterThreadAfterItsAfterWriteActionsAndOthersOnTheCompletionThread()
            throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            List<String> events = new CopyOnWriteArrayList<>();
            CompletableFuture<String> quick = writer.submit(record(0), at -> { },
                    () -> events.add("after write on " + Thread.currentThread().getName()))
                    .thenApply(v -> Thread.currentThread().getName());
            // the force is held until the after-write action has run, as with a real disk's force
            assertThat(sink.inFirstForce.await(10, TimeUnit.SECONDS)).isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> writer.queuedTasks() == 0);
            sink.releaseFirstForce.countDown();
            assertThat(quick.get(10, TimeUnit.SECONDS)).isEqualTo("tern-journal-writer-t");
            assertThat(events).containsExactly("after write on tern-journal-complete-t");
            assertThat(writer.inlineCompletionCount()).isEqualTo(1);

            writer.submit(record(1), at -> { }).get(10, TimeUnit.SECONDS);
            assertThat(writer.inlineCompletionCount()).as("a record whose dependents may be slow (a commit's)")
                    .isEqualTo(1);
        }
    }

    @Test
    void aSendQueuedDuringTheForceOfRecordsBeforeABarrierIsWrittenAfterTheBarrier() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.ALWAYS, 1000, "t", () -> { })) {
            List<Location> late = new CopyOnWriteArrayList<>();
            List<CompletableFuture<Void>> lateDone = new CopyOnWriteArrayList<>();
            // the second force is the send's before the barrier: a send queued then must not overtake the barrier
            // (a writer that takes what queued during a force ahead of the rest of its batch would write it first)
            sink.duringForce = n -> {
                if (n == 2) {
                    lateDone.add(writer.submit(record(9), late::add, () -> { }));
                }
            };
            writer.submit(record(0), at -> { });
            assertThat(sink.inFirstForce.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> send = writer.submit(record(1), at -> { }, () -> { });
            CompletableFuture<JournalPosition> barrier = writer.barrier(at -> at);
            sink.releaseFirstForce.countDown();
            send.get(10, TimeUnit.SECONDS);
            JournalPosition after = barrier.get(10, TimeUnit.SECONDS);
            assertThat(after.offset()).as("the barrier's position: after the first two records only").isEqualTo(16);
            lateDone.get(0).get(10, TimeUnit.SECONDS);
            assertThat(late).extracting(Location::offset).containsExactly(16L);
        }
    }

    @Test
    void aBatchThatIsNotForcedRunsItsAfterWriteActionsAndCompletesOnTheWriterThreadInOrder() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.releaseFirstForce.countDown(); // the close forces once; it need not wait
        try (GroupCommitWriter writer = new GroupCommitWriter(sink, SyncPolicy.NEVER, 1000, "t", () -> { })) {
            List<String> events = new CopyOnWriteArrayList<>();
            writer.submit(record(0), at -> { },
                    () -> events.add("after write on " + Thread.currentThread().getName())).get(10, TimeUnit.SECONDS);
            assertThat(events).containsExactly("after write on tern-journal-writer-t");
            assertThat(writer.inlineCompletionCount()).as("completed on the writer thread, after it").isEqualTo(1);
            assertThat(sink.forces.get()).isZero();
        }
    }
}
