package io.tern.bench.runner;

import java.util.Arrays;
import java.util.List;

/**
 * A provider as the runner starts it: which adapter module holds its classpath, its broker main and arguments.
 * Artemis runs twice, once with its embedded default journal-buffer-timeout and once tuned to 100 µs as its own
 * {@code create} command would do for a fast disk; the best peer is the better of all peer runs.
 *
 * @param name        the name in reports
 * @param module      the adapter module's directory under {@code benchmarks/}
 * @param brokerMain  the broker JVM's main class
 * @param brokerArgs  extra broker arguments
 * @param jvmArgs     extra JVM options for that provider's JVMs
 */
public record ProviderSpec(String name, String module, String brokerMain, List<String> brokerArgs,
        List<String> jvmArgs) {

    public static final String TERN = "tern";

    private static final ProviderSpec[] KNOWN = {
        new ProviderSpec(TERN, "tern", "io.tern.bench.tern.TernBroker", List.of(), List.of()),
        new ProviderSpec("classic", "classic", "io.tern.bench.classic.ClassicBroker", List.of(), List.of()),
        // Audit loggers off: at INFO they log every message and the figures mean nothing.
        new ProviderSpec("artemis", "artemis", "io.tern.bench.artemis.ArtemisBroker", List.of(),
                List.of("-Dorg.slf4j.simpleLogger.log.org.apache.activemq.audit=off")),
        new ProviderSpec("artemis-tuned", "artemis", "io.tern.bench.artemis.ArtemisBroker",
                List.of("-buffer-timeout-ns", "100000"),
                List.of("-Dorg.slf4j.simpleLogger.log.org.apache.activemq.audit=off")),
    };

    public static List<ProviderSpec> all() {
        return List.of(KNOWN);
    }

    public static ProviderSpec byName(String name) {
        return Arrays.stream(KNOWN).filter(p -> p.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown provider '" + name + "'; known: "
                        + String.join(", ", Arrays.stream(KNOWN).map(ProviderSpec::name).toList())));
    }

    public boolean isTern() {
        return name.equals(TERN);
    }
}
