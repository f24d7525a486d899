package io.tern.broker.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A broker in its own JVM ({@code ./tern broker}'s main class on this test's class path), writing its output to a
 * log file the test reads: for the crash and failover tests, where the point is a process that dies.
 */
public final class ForkedBroker {
    private static final Pattern READY = Pattern.compile("ready on tcp://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STANDBY = Pattern.compile("is a STANDBY");

    private final Process process;
    private final Path log;
    /** The port asked for, or once ready the one the broker printed (so 0 means an ephemeral port). */
    private volatile int port;

    private ForkedBroker(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts a broker on {@code port} (0: a port the system picks, known from {@link #awaitReady} on) with the data
     * directory {@code dataDir}; does not wait for it.
     *
     * @param settings broker settings as system properties, e.g. {@code -Dtern.store=journal}
     */
    public static ForkedBroker launch(String name, int port, Path dataDir, Path log, List<String> settings)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        cmd.addAll(settings);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tern.broker.launcher.Main",
                "--name", name, "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ForkedBroker(p, log, port);
    }

    /** A free TCP port on 127.0.0.1 (free when asked: the broker binds it a moment later). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the broker printed its ready line (it is active and listening). */
    public ForkedBroker awaitReady(Duration within) throws IOException {
        awaitLine(READY, within, "ready");
        Matcher ready = READY.matcher(Files.readString(log));
        if (ready.find()) {
            port = Integer.parseInt(ready.group(1));
        }
        return this;
    }

    /** Waits until the broker printed its standby line (another broker holds the store). */
    public ForkedBroker awaitStandby(Duration within) throws IOException {
        awaitLine(STANDBY, within, "standby");
        return this;
    }

    /** Whether the broker has printed its ready line. */
    public boolean isReady() throws IOException {
        return READY.matcher(Files.readString(log)).find();
    }

    private void awaitLine(Pattern line, Duration within, String what) throws IOException {
        try {
            Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(20))
                    .until(() -> line.matcher(Files.readString(log)).find() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the broker did not say it is " + what + " within " + within + ":\n"
                    + Files.readString(log));
        }
        if (!line.matcher(Files.readString(log)).find()) {
            throw new AssertionError("the broker exited before it said it is " + what + ":\n"
                    + Files.readString(log));
        }
    }

    public int port() {
        return port;
    }

    /** The broker's TCP address, {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits for the broker's process to end by itself; its exit code, or -1 if it still runs after {@code within}. */
    public int awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
