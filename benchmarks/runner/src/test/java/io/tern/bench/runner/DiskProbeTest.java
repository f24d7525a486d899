package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DiskProbeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void writersSharingForcesAreMeasuredAndEveryThreadEnds() throws Exception {
        DiskProbe.Limits limits = DiskProbe.measure(dir, 150);

        assertThat(limits.syncedPerSecond()).isPositive();
        assertThat(limits.batchedPerSecond()).isPositive();
        assertThat(limits.overwrittenPerSecond()).isPositive();
        assertThat(limits.sharedPerSecond()).isPositive().isFinite();
        assertThat(limits.describe()).contains("when 4 threads each wait for their own record's force");
        assertThat(Files.list(dir).toList()).as("the probe's file is deleted").isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).as("the probe joins its threads before it returns")
                .noneMatch(t -> t.getName().startsWith("disk-probe-"));
    }

    @Test
    @Timeout(30)
    void theKindsOfWritesComparedTakeTurnsSoThatTheDisksDriftWeighsOnEachAlike() throws Exception {
        List<Integer> order = new ArrayList<>();
        DiskProbe.ForcedWrites[] kinds = new DiskProbe.ForcedWrites[2];
        for (int i = 0; i < kinds.length; i++) {
            int kind = i;
            kinds[i] = new DiskProbe.ForcedWrites() {
                @Override
                public int writeAndForce() {
                    order.add(kind);
                    LockSupport.parkNanos(200_000); // a force's time
                    return kind == 0 ? 1 : 64;
                }

                @Override
                public void close() {
                }
            };
        }

        double[] rates = DiskProbe.inTurns(100, kinds);

        // 100 ms each in turns of 10 ms: the kinds alternate about ten times, and each gets its whole budget
        long switches = java.util.stream.IntStream.range(1, order.size())
                .filter(i -> !order.get(i).equals(order.get(i - 1))).count();
        assertThat(switches).isBetween(5L, 25L);
        assertThat(order).startsWith(0).contains(1);
        assertThat(rates[1] / rates[0]).as("the second kind writes 64 records a force").isBetween(40.0, 90.0);
    }

    @Test
    @Timeout(30)
    void theQuickLookBesideAWindowMeasuresForcedWritesAndLeavesNoFile() throws Exception {
        double forced = DiskProbe.forcedPerSecond(dir.resolve("data"), 150);

        assertThat(forced).isPositive().isFinite();
        assertThat(Files.list(dir.resolve("data")).toList()).isEmpty();
    }

    @Test
    void onlyWindowsWhoseSendsEachWaitForAForceGetTheDiskBesideThem() {
        assertThat(Stream.of(Scenario.all()).filter(BrokerRuns::forcesEachSend).map(Scenario::id))
                .containsExactlyInAnyOrder("persistent-1x1", "persistent-4x4", "request-reply");
    }
}
