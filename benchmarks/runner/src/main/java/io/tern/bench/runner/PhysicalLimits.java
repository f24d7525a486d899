package io.tern.bench.runner;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * What the machine itself allows, measured in the same run: the data disk's appends per second (at the start and at
 * the end of the run; null where the probe failed) and loopback throughput of 1 KiB frames (null if it failed).
 */
record PhysicalLimits(List<DiskProbe.Limits> disk, LoopbackProbe.Limit loopback) {

    /** The median over the disk probes of appends per second with a force after each, if any was measured. */
    OptionalDouble syncedPerSecond() {
        return median(DiskProbe.Limits::syncedPerSecond);
    }

    /** The median over the disk probes of forced 1 KiB writes per second into a zero-filled file. */
    OptionalDouble overwrittenPerSecond() {
        return median(DiskProbe.Limits::overwrittenPerSecond);
    }

    /** The median over the disk probes of records per second of synchronous writers sharing forces. */
    OptionalDouble sharedPerSecond() {
        return median(DiskProbe.Limits::sharedPerSecond);
    }

    private OptionalDouble median(ToDoubleFunction<DiskProbe.Limits> figure) {
        return Stats.median(disk.stream().filter(d -> d != null).map(figure::applyAsDouble).toList());
    }
}
