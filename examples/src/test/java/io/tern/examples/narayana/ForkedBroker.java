package io.tern.examples.narayana;

import java.io.IOException;
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
 * A broker in its own JVM (the launcher, {@code io.tern.broker.launcher.Main}, on this test's class path) on
 * 127.0.0.1 and a free port, with the given store in the given data directory; as kahadb-style-store's
 * KillNineTest starts one. {@link #kill()} is SIGKILL: no shutdown hook, no flush.
 */
final class ForkedBroker {
    private static final Pattern READY = Pattern.compile("ready on tcp://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private ForkedBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param settings more broker settings, as system properties: {@code -Dtern.jdbc.url=...} */
    static ForkedBroker start(String store, Path dataDir, Path log, List<String> settings)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dtern.store=" + store));
        cmd.addAll(settings);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tern.broker.launcher.Main",
                "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> READY.matcher(Files.readString(log)).find() || !p.isAlive());
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("the broker was not ready within 60 s:\n" + Files.readString(log));
        }
        Matcher m = READY.matcher(Files.readString(log));
        if (!m.find()) {
            throw new IllegalStateException("the broker exited with " + p.waitFor() + ":\n" + Files.readString(log));
        }
        return new ForkedBroker(p, Integer.parseInt(m.group(1)));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits for the JVM to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker JVM " + process.pid() + " outlived SIGKILL by 30 s");
        }
    }

    /** A clean stop (SIGTERM: the launcher's shutdown hook stops the broker), SIGKILL after 30 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
