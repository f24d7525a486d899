package io.tern.bench.driver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the machine did during a measured window, from Linux's {@code /proc}: the CPU the driver and the broker used,
 * what every other process used, and the load average at the end. A window where other processes used a large
 * share of a core is noisy, whatever its figures say. Off Linux every figure is {@code NaN}.
 */
public final class HostCpu {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    /** CPU use in cores (1.0 = one core busy for the whole window) and the 1-minute load average at the end. */
    public record Usage(double load1, double driverCores, double brokerCores, double otherCores) {
        public static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private final long brokerPid;
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private long[] startTicks;
    private long startBroker;
    private long startDriverNanos;
    private long startWall;

    /** {@code brokerPid} is the broker JVM's pid, or 0 when unknown. */
    public HostCpu(long brokerPid) {
        this.brokerPid = brokerPid;
    }

    public void start() {
        startTicks = systemTicks();
        startBroker = processTicks(brokerPid);
        startDriverNanos = driverCpuNanos();
        startWall = System.nanoTime();
    }

    public Usage stop() {
        long[] endTicks = systemTicks();
        if (startTicks == null || endTicks == null) {
            return new Usage(load1(), Double.NaN, Double.NaN, Double.NaN);
        }
        double wallSeconds = (System.nanoTime() - startWall) / 1e9;
        long busy = endTicks[0] - startTicks[0];
        long total = endTicks[1] - startTicks[1];
        // /proc/stat and /proc/PID/stat count in USER_HZ ticks (100 per second on Linux).
        double tickSeconds = total > 0 ? wallSeconds * cpus / total : 0.01;
        double driver = (driverCpuNanos() - startDriverNanos) / 1e9;
        long brokerEnd = processTicks(brokerPid);
        double broker = brokerEnd >= 0 && startBroker >= 0 ? (brokerEnd - startBroker) * tickSeconds : Double.NaN;
        double others = busy * tickSeconds - driver - (Double.isNaN(broker) ? 0 : broker);
        return new Usage(load1(), driver / wallSeconds, broker / wallSeconds, Math.max(0, others) / wallSeconds);
    }

    /** {busy, total} ticks over all CPUs, or null off Linux. */
    private static long[] systemTicks() {
        try {
            String cpu = Files.readAllLines(STAT).get(0);
            String[] f = cpu.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime of a process in ticks, or -1. */
    private static long processTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may hold spaces; fields after it are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long driverCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
