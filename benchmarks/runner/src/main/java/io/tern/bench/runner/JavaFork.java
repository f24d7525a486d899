package io.tern.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for a provider's JVMs: its module's classes plus the classpath file its build wrote
 * ({@code target/bench-classpath.txt}), and the same heap and log settings for every provider.
 */
final class JavaFork {
    static final List<String> BROKER_HEAP = List.of("-Xms512m", "-Xmx1g");
    static final List<String> DRIVER_HEAP = List.of("-Xms256m", "-Xmx512m");
    private static final List<String> QUIET_LOGS = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private final Path root;

    /** {@code root} is the {@code benchmarks/} directory. */
    JavaFork(Path root) {
        this.root = root;
    }

    String classpath(ProviderSpec provider) {
        Path module = root.resolve(provider.module()).resolve("target");
        Path file = module.resolve("bench-classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build the benchmarks modules first "
                    + "(see benchmarks/README.md)");
        }
        try {
            return module.resolve("classes") + java.io.File.pathSeparator + Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The broker JVM; {@code jfr}, when not null, is where it records a profile. */
    List<String> broker(ProviderSpec provider, Path dataDir, Path jfr) {
        List<String> jvm = new ArrayList<>(BROKER_HEAP);
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr);
        }
        List<String> cmd = java(provider, jvm);
        cmd.add(provider.brokerMain());
        cmd.add("-data");
        cmd.add(dataDir.toString());
        cmd.addAll(provider.brokerArgs());
        return cmd;
    }

    /** The driver JVM for one scenario (or phase) against the broker at {@code port}; {@code args} are its own. */
    List<String> driver(ProviderSpec provider, String scenario, int port, long brokerPid, List<String> args) {
        List<String> cmd = java(provider, DRIVER_HEAP);
        cmd.addAll(List.of("io.tern.bench.driver.Driver", "-scenario", scenario, "-port", Integer.toString(port),
                "-broker-pid", Long.toString(brokerPid), "-label", provider.name()));
        cmd.addAll(args);
        return cmd;
    }

    private List<String> java(ProviderSpec provider, List<String> heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(heap);
        cmd.addAll(QUIET_LOGS);
        cmd.addAll(provider.jvmArgs());
        cmd.add("-cp");
        cmd.add(classpath(provider));
        return cmd;
    }
}
