package io.tern.bench.runner;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What the machine itself allows, measured in the same run: the data disk's appends per second (at the start and at
 * the end of the run; null where the probe failed) and loopback throughput of 1 KiB frames (null if it failed).
 */
record PhysicalLimits(List<DiskProbe.Limits> disk, LoopbackProbe.Limit loopback) {

    /** The median over the disk probes of appends per second with a force after each, if any was measured. */
    OptionalDouble syncedPerSecond() {
        return Stats.median(disk.stream().filter(d -> d != null).map(DiskProbe.Limits::syncedPerSecond).toList());
    }
}
