package io.tern.bench.runner;

import io.tern.bench.driver.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runner's settings.
 *
 * @param root       the {@code benchmarks/} directory (adapter modules, their classpath files)
 * @param out        where the report and the logs go
 * @param data       where brokers keep their stores (a fresh directory per window, deleted after it); put it on
 *                   the disk you want measured, never on tmpfs
 * @param rounds     how many times each provider runs each scenario, interleaved (A B C, A B C, ...)
 * @param warmupMillis   unmeasured run before each window
 * @param measureMillis  the measured window
 * @param scenarios  the scenarios, in order
 * @param providers  the providers, in the order each round runs them
 * @param jfr        record a JFR profile of every broker JVM next to its log
 */
record RunOptions(Path root, Path out, Path data, int rounds, long warmupMillis, long measureMillis,
        List<Scenario> scenarios, List<ProviderSpec> providers, boolean jfr) {

    static final String USAGE = """
            Usage: Runner -root BENCHMARKS_DIR [options]
              -out DIR          report and logs (default BENCHMARKS_DIR/target)
              -data DIR         broker stores, one fresh directory per window (default OUT/bench-data)
              -rounds N         interleaved rounds (default 3)
              -warmup S         seconds of unmeasured warm-up per window (default 3)
              -measure S        measured seconds per window (default 10)
              -scenarios A,B    default: all (%s)
              -providers A,B    default: all (%s)
              -quick            1 round, 1 s warm-up, 3 s measured
              -jfr              record a JFR profile (settings=profile) of each broker JVM in OUT/logs""";

    static RunOptions parse(String... args) {
        Path root = null;
        Path out = null;
        Path data = null;
        int rounds = 3;
        double warmup = 3;
        double measure = 10;
        List<Scenario> scenarios = List.of(Scenario.all());
        List<ProviderSpec> providers = ProviderSpec.all();
        boolean jfr = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-quick")) {
                rounds = 1;
                warmup = 1;
                measure = 3;
                continue;
            }
            if (flag.equals("-jfr")) {
                jfr = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "-root" -> root = Path.of(value);
                case "-out" -> out = Path.of(value);
                case "-data" -> data = Path.of(value);
                case "-rounds" -> rounds = Integer.parseInt(value);
                case "-warmup" -> warmup = Double.parseDouble(value);
                case "-measure" -> measure = Double.parseDouble(value);
                case "-scenarios" -> scenarios = list(value).stream().map(Scenario::byId).toList();
                case "-providers" -> providers = list(value).stream().map(ProviderSpec::byName).toList();
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("-root is required");
        }
        if (rounds < 1 || measure <= 0 || warmup < 0) {
            throw new IllegalArgumentException("need -rounds >= 1, -measure > 0 and -warmup >= 0");
        }
        out = out != null ? out : root.resolve("target");
        data = data != null ? data : out.resolve("bench-data");
        return new RunOptions(root.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(),
                data.toAbsolutePath().normalize(), rounds, Math.round(warmup * 1000), Math.round(measure * 1000),
                scenarios, providers, jfr);
    }

    static String usage() {
        return USAGE.formatted(String.join(", ", Arrays.stream(Scenario.all()).map(Scenario::id).toList()),
                String.join(", ", ProviderSpec.all().stream().map(ProviderSpec::name).toList()));
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
