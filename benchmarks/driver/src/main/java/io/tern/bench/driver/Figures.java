package io.tern.bench.driver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named figures of one scenario on one provider that are not a timed window: the backlog's rates, recovery and
 * start times, memory. The driver prints them on one line ({@value #PREFIX} scenario=.. provider=.. key=value ...)
 * and the runner parses them back and adds what only it can measure (process start to ready, the broker's peak RSS).
 * Values are in the unit their key names; NaN is "not measured".
 *
 * @param scenario  the scenario id
 * @param provider  the provider name
 * @param values    key to value, in the order they were added
 */
public record Figures(String scenario, String provider, Map<String, Double> values) {

    public static final String PREFIX = "BENCH-FIGURES";

    // Windowed scenarios (taken from a Result).
    public static final String RATE = "msg_per_s";
    public static final String P50_MS = "p50_ms";
    public static final String P99_MS = "p99_ms";
    public static final String P999_MS = "p999_ms";

    // backlog (W6)
    public static final String MESSAGES = "messages";
    public static final String FILL_RATE = "fill_msg_per_s";
    public static final String DRAIN_RATE = "drain_msg_per_s";
    public static final String FILL_RSS_MIB = "rss_after_fill_mib";
    public static final String PEAK_RSS_MIB = "peak_rss_mib";

    // recovery (W7)
    public static final String RECOVERY_MS = "ready_after_kill_ms";
    public static final String RECOVERED_RSS_MIB = "rss_after_recovery_mib";
    public static final String FIRST_MESSAGE_MS = "first_message_ms";
    public static final String RECEIVED = "received";

    // footprint (W8)
    public static final String START_MS = "start_ms";
    public static final String IDLE_RSS_MIB = "idle_rss_mib";
    public static final String CONNECTIONS = "connections";
    public static final String CONNECTED_RSS_MIB = "rss_with_connections_mib";
    public static final String KIB_PER_CONNECTION = "kib_per_connection";
    /** KiB per connection of a second batch opened while the first is open: the broker warm. */
    public static final String KIB_PER_CONNECTION_WARM = "kib_per_connection_warm";
    public static final String OPEN_MS = "open_connections_ms";

    public Figures {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of {@code key}, or NaN when it was not measured. */
    public double get(String key) {
        Double value = values.get(key);
        return value == null ? Double.NaN : value;
    }

    public String toLine() {
        StringBuilder line = new StringBuilder(PREFIX).append(" scenario=").append(scenario).append(" provider=")
                .append(provider);
        values.forEach((key, value) -> line.append(' ').append(key).append('=')
                .append(String.format(Locale.ROOT, "%.3f", value)));
        return line.toString();
    }

    /** Parses a line written by {@link #toLine()}; a malformed field names itself in the exception. */
    public static Figures parse(String line) {
        String trimmed = line.trim();
        if (!trimmed.startsWith(PREFIX + " ")) {
            throw new IllegalArgumentException("not a figures line: '" + line + "'");
        }
        String scenario = null;
        String provider = null;
        Map<String, Double> values = new LinkedHashMap<>();
        for (String part : trimmed.substring(PREFIX.length() + 1).split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("figures field '" + part + "' has no '=' in '" + line + "'");
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            if (key.equals("scenario")) {
                scenario = value;
            } else if (key.equals("provider")) {
                provider = value;
            } else {
                try {
                    values.put(key, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("figures field " + key + "='" + value + "' is not a number");
                }
            }
        }
        if (scenario == null || provider == null) {
            throw new IllegalArgumentException("figures line lacks scenario= or provider=: '" + line + "'");
        }
        return new Figures(scenario, provider, values);
    }
}
