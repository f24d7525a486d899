package io.tern.bench.driver;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement window of one scenario on one provider, as the driver prints it on a single line
 * ({@value #PREFIX} key=value ...) and the runner parses it back.
 *
 * @param scenario    the scenario id
 * @param provider    the provider name
 * @param messages    messages received (or round trips completed) during the measured window
 * @param seconds     the measured window's length
 * @param p50Micros   latency percentiles in microseconds (see {@link Scenario#latencyMeaning()})
 * @param p99Micros   99th percentile
 * @param p999Micros  99.9th percentile
 * @param maxMicros   the largest latency seen
 * @param host        what else the machine did during the window
 */
public record Result(String scenario, String provider, long messages, double seconds, long p50Micros,
        long p99Micros, long p999Micros, long maxMicros, HostCpu.Usage host) {

    public static final String PREFIX = "BENCH-RESULT";
    /** Starts the line a driver prints instead of a result when a scenario failed: {@code scenario=ID cause}. */
    public static final String FAILED = "BENCH-FAILED";

    /** Messages (or round trips) per second. */
    public double rate() {
        return seconds > 0 ? messages / seconds : 0;
    }

    /** The window's headline figures under the {@link Figures} keys: rate and latency percentiles in ms. */
    public Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(Figures.RATE, rate());
        figures.put(Figures.P50_MS, p50Micros / 1000.0);
        figures.put(Figures.P99_MS, p99Micros / 1000.0);
        figures.put(Figures.P999_MS, p999Micros / 1000.0);
        return figures;
    }

    public String toLine() {
        return String.format(Locale.ROOT,
                "%s scenario=%s provider=%s messages=%d seconds=%.3f p50us=%d p99us=%d p999us=%d maxus=%d "
                        + "load1=%.2f driverCores=%.2f brokerCores=%.2f otherCores=%.2f",
                PREFIX, scenario, provider, messages, seconds, p50Micros, p99Micros, p999Micros, maxMicros,
                host.load1(), host.driverCores(), host.brokerCores(), host.otherCores());
    }

    /** Parses a line written by {@link #toLine()}; a missing or malformed field names itself in the exception. */
    public static Result parse(String line) {
        String trimmed = line.trim();
        if (!trimmed.startsWith(PREFIX + " ")) {
            throw new IllegalArgumentException("not a result line: '" + line + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : trimmed.substring(PREFIX.length() + 1).split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("result field '" + part + "' has no '=' in '" + line + "'");
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        HostCpu.Usage host = new HostCpu.Usage(dbl(fields, "load1"), dbl(fields, "driverCores"),
                dbl(fields, "brokerCores"), dbl(fields, "otherCores"));
        return new Result(str(fields, "scenario"), str(fields, "provider"), lng(fields, "messages"),
                dbl(fields, "seconds"), lng(fields, "p50us"), lng(fields, "p99us"), lng(fields, "p999us"),
                lng(fields, "maxus"), host);
    }

    private static String str(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("result line lacks '" + key + "'");
        }
        return value;
    }

    private static long lng(Map<String, String> fields, String key) {
        try {
            return Long.parseLong(str(fields, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("result field " + key + "='" + fields.get(key) + "' is not an integer");
        }
    }

    private static double dbl(Map<String, String> fields, String key) {
        try {
            return Double.parseDouble(str(fields, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("result field " + key + "='" + fields.get(key) + "' is not a number");
        }
    }
}
