package io.tern.bench.runner;

import io.tern.bench.driver.BrokerConsole;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A forked broker JVM: started, awaited until it prints its port, told to stop, and killed if it will not. The time
 * from just before the process is created to the moment its ready line is read is its start time: JVM start, store
 * recovery and binding the port, as a user would see it.
 */
final class BrokerProcess implements AutoCloseable {
    /** How long an empty broker may take to become ready. */
    static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 20;

    private final Process process;
    private final long startNanos;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile long readyNanos;

    private BrokerProcess(Process process, long startNanos, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        Thread pump = new Thread(() -> pump(log), "bench-broker-log-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    static BrokerProcess start(List<String> command, Path log) throws IOException {
        return start(command, log, START_SECONDS);
    }

    /** Starts the broker and waits up to {@code startSeconds} for its ready line. */
    static BrokerProcess start(List<String> command, Path log, long startSeconds) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        long startNanos = System.nanoTime();
        Process process = builder.start();
        BrokerProcess broker = new BrokerProcess(process, startNanos, log);
        try {
            broker.port.get(startSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
            throw new IOException("interrupted while the broker started", e);
        } catch (ExecutionException | TimeoutException e) {
            broker.close();
            throw new IOException("the broker did not become ready within " + startSeconds + " s; see " + log, e);
        }
        return broker;
    }

    /** Copies the broker's output to its log and picks the port out of the ready line. */
    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                if (line.startsWith(BrokerConsole.READY + " ")) {
                    readyNanos = System.nanoTime();
                    port.complete(Integer.parseInt(line.split("\\s+")[1].substring("port=".length())));
                }
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IOException("the broker exited with code " + exitCode()));
    }

    private String exitCode() {
        try {
            return Integer.toString(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    int port() {
        return port.join();
    }

    long pid() {
        return process.pid();
    }

    /** Milliseconds from just before the process was created to its ready line. */
    double startMillis() {
        port.join();
        return (readyNanos - startNanos) / 1e6;
    }

    /**
     * Kills the broker without warning (SIGKILL on Linux: {@link Process#destroyForcibly()}), as a crash or
     * {@code kill -9} would, and waits until it is gone so that its store can be opened again.
     */
    void kill() throws IOException {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the broker (pid " + process.pid() + ") outlived SIGKILL by " + STOP_SECONDS
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while killing the broker", e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already gone: waitFor below returns at once.
        }
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
