package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
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
