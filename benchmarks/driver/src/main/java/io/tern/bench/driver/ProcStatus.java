package io.tern.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory as Linux reports it in {@code /proc/PID/status}: resident set size now ({@code VmRSS}) and its
 * peak ({@code VmHWM}, the high-water mark), in KiB. Off Linux, or for a process that is gone, both are -1.
 */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** The resident set size of {@code pid} in KiB, or -1. */
    public static long rssKib(long pid) {
        return field(pid, "VmRSS:");
    }

    /** The peak resident set size of {@code pid} since it started, in KiB, or -1. */
    public static long peakRssKib(long pid) {
        return field(pid, "VmHWM:");
    }

    /** KiB as MiB, or NaN for an unknown (negative) value. */
    public static double mib(long kib) {
        return kib < 0 ? Double.NaN : kib / 1024.0;
    }

    private static long field(long pid, String name) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    // "VmRSS:	   74316 kB"
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
