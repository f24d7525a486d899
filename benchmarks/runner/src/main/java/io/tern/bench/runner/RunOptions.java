package io.tern.bench.runner;

import io.tern.bench.driver.Pacer;
import io.tern.bench.driver.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's settings.
 *
 * @param root           the {@code benchmarks/} directory (adapter modules, their classpath files)
 * @param out            where the logs go ({@code OUT/logs})
 * @param results        where each run writes its {@code <date>/} directory with results.md and chart.png
 * @param data           where brokers keep their stores (a fresh directory per broker, deleted after it); put it on
 *                       the disk you want measured, never on tmpfs
 * @param rounds         how many times each provider runs each scenario, interleaved (A B C, A B C, ...)
 * @param warmupMillis   unmeasured run before each window
 * @param measureMillis  the measured window
 * @param scenarios      the scenarios, in order
 * @param providers      the providers, in the order each round runs them
 * @param jfr            record a JFR profile of every broker JVM next to its log
 * @param backlog        messages in the backlog and recovery scenarios
 * @param connections    idle connections the footprint scenario opens
 * @param settleMillis   the footprint's pause before each RSS reading
 * @param probeMillis    how long each physical-limit probe runs
 * @param brokers        a fresh broker per window, or one broker per provider and round for all its windows
 * @param rate           messages a second the producers of each queue and topic window send in all, on a fixed
 *                       schedule; 0 (the default) for as fast as each provider lets them
 */
record RunOptions(Path root, Path out, Path results, Path data, int rounds, long warmupMillis, long measureMillis,
        List<Scenario> scenarios, List<ProviderSpec> providers, boolean jfr, long backlog, int connections,
        long settleMillis, long probeMillis, Brokers brokers, double rate) {

    /** How windows get their broker. */
    enum Brokers {
        /** Every window and the footprint start a fresh broker JVM with an empty store (the default). */
        FRESH,
        /**
         * One broker JVM per provider and round serves the footprint (first, while it is fresh) and then every
         * window in turn, each on its own queue or topic: saves a JVM start per window (quick mode).
         */
        SHARED
    }

    static final String USAGE = """
            Usage: Runner -root BENCHMARKS_DIR [options]
              -out DIR          logs (default BENCHMARKS_DIR/target; they go to OUT/logs)
              -results DIR      each run writes DIR/<yyyy-MM-dd>/results.md and chart.png (default
                                BENCHMARKS_DIR/results; <yyyy-MM-dd-HHmm> when the day's directory exists)
              -data DIR         broker stores, one fresh directory per broker (default OUT/bench-data)
              -rounds N         interleaved rounds (default 3)
              -warmup S         seconds of unmeasured warm-up per window (default 15: on two cores the JIT
                                compilers take a third of a fresh JVM's CPU for about the first 10 s)
              -measure S        measured seconds per window (default 10)
              -backlog N        messages in the backlog and recovery scenarios (default 1000000)
              -connections N    idle connections in the footprint scenario (default 1000)
              -settle S         footprint: seconds to wait before each RSS reading (default 1)
              -probe S          seconds per physical-limit probe (default 2)
              -shared-broker    one broker per provider and round for all its windows
              -rate N           the producers of each queue and topic window send N messages a second in all, on a
                                fixed schedule, and latency counts from each message's scheduled time (default 0:
                                as fast as each provider lets them); request/reply is never paced
              -scenarios A,B    default: all (%s)
              -providers A,B    default: all (%s)
              -quick            1 round, 0.5 s warm-up, 1 s measured, backlog 10000, 250 connections, settle
                                0.25 s, probes 0.3 s, -shared-broker; options given as well win
              -jfr              record a JFR profile (settings=profile) of each broker JVM in OUT/logs""";

    private static final Map<String, String> DEFAULTS = Map.of("-rounds", "3", "-warmup", "15", "-measure", "10",
            "-backlog", "1000000", "-connections", "1000", "-settle", "1", "-probe", "2", "-rate", "0");
    private static final Map<String, String> QUICK = Map.of("-rounds", "1", "-warmup", "0.5", "-measure", "1",
            "-backlog", "10000", "-connections", "250", "-settle", "0.25", "-probe", "0.3");

    static RunOptions parse(String... args) {
        boolean quick = Arrays.asList(args).contains("-quick");
        Map<String, String> values = new HashMap<>(DEFAULTS);
        if (quick) {
            values.putAll(QUICK);
        }
        boolean jfr = false;
        boolean shared = quick;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "-quick" -> { }
                case "-jfr" -> jfr = true;
                case "-shared-broker" -> shared = true;
                case "-root", "-out", "-results", "-data", "-rounds", "-warmup", "-measure", "-backlog",
                        "-connections", "-settle", "-probe", "-rate", "-scenarios", "-providers" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + flag + " needs a value");
                    }
                    values.put(flag, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (values.get("-root") == null) {
            throw new IllegalArgumentException("-root is required");
        }
        Path root = Path.of(values.get("-root")).toAbsolutePath().normalize();
        Path out = path(values, "-out", root.resolve("target"));
        Path results = path(values, "-results", root.resolve("results"));
        Path data = path(values, "-data", out.resolve("bench-data"));
        int rounds = integer(values, "-rounds");
        double warmup = number(values, "-warmup");
        double measure = number(values, "-measure");
        long backlog = integer(values, "-backlog");
        int connections = integer(values, "-connections");
        double settle = number(values, "-settle");
        double probe = number(values, "-probe");
        double rate = rate(values.get("-rate"));
        if (rounds < 1 || measure <= 0 || warmup < 0 || backlog < 1 || connections < 1 || settle < 0
                || probe <= 0) {
            throw new IllegalArgumentException("need -rounds >= 1, -measure > 0, -warmup >= 0, -backlog >= 1, "
                    + "-connections >= 1, -settle >= 0 and -probe > 0");
        }
        List<Scenario> scenarios = values.containsKey("-scenarios")
                ? list(values.get("-scenarios")).stream().map(Scenario::byId).toList() : List.of(Scenario.all());
        List<ProviderSpec> providers = values.containsKey("-providers")
                ? list(values.get("-providers")).stream().map(ProviderSpec::byName).toList() : ProviderSpec.all();
        return new RunOptions(root, out, results, data, rounds, millis(warmup), millis(measure), scenarios,
                providers, jfr, backlog, connections, millis(settle), millis(probe),
                shared ? Brokers.SHARED : Brokers.FRESH, rate);
    }

    static String usage() {
        return USAGE.formatted(String.join(", ", Arrays.stream(Scenario.all()).map(Scenario::id).toList()),
                String.join(", ", ProviderSpec.all().stream().map(ProviderSpec::name).toList()));
    }

    /** Whether {@code scenario} was asked for. */
    boolean selected(Scenario scenario) {
        return scenarios.contains(scenario);
    }

    private static Path path(Map<String, String> values, String flag, Path fallback) {
        String value = values.get(flag);
        return (value == null ? fallback : Path.of(value)).toAbsolutePath().normalize();
    }

    private static int integer(Map<String, String> values, String flag) {
        try {
            return Integer.parseInt(values.get(flag).replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, not '" + values.get(flag) + "'");
        }
    }

    private static double number(Map<String, String> values, String flag) {
        try {
            return Double.parseDouble(values.get(flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number of seconds, not '" + values.get(flag) + "'");
        }
    }

    private static double rate(String value) {
        double rate;
        try {
            rate = Double.parseDouble(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-rate needs a number of messages a second, not '" + value + "'");
        }
        try {
            return Pacer.checkRate(rate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-rate needs a number of messages a second >= 0, not '" + value + "'");
        }
    }

    /** The driver's options for a timed window: its warm-up, its measured time and the producers' rate. */
    List<String> windowArgs() {
        List<String> args = new ArrayList<>(List.of("-warmup-ms", Long.toString(warmupMillis), "-measure-ms",
                Long.toString(measureMillis)));
        if (rate > 0) {
            args.addAll(List.of("-rate", Double.toString(rate)));
        }
        return args;
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
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
