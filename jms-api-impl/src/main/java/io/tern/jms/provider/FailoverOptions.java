package io.tern.jms.provider;

import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A failover URI, parsed: {@code failover:(tcp://a:61616,tcp://b:61617)?key=value&...} or
 * {@code failover:tcp://a:61616,tcp://b:61617}. Each nested URI keeps its own parameters; a parameter of the
 * outer query that is not a failover option below is a connection parameter ({@link ConnectionOptions}) given to
 * every nested URI that does not set it itself.
 *
 * <table>
 * <caption>Failover options (names as in ActiveMQ Classic)</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>initialReconnectDelay</td><td>10</td><td>ms to wait after the first pass over the URIs failed</td></tr>
 * <tr><td>maxReconnectDelay</td><td>30000</td><td>the longest wait between two passes</td></tr>
 * <tr><td>useExponentialBackOff</td><td>true</td><td>multiply the wait by reconnectBackOffMultiplier after each
 * failed pass</td></tr>
 * <tr><td>reconnectBackOffMultiplier</td><td>2</td><td>the factor (at least 1)</td></tr>
 * <tr><td>maxReconnectAttempts</td><td>-1</td><td>passes over the URIs after a connection is lost before giving up
 * (-1 for ever, 0 never reconnect)</td></tr>
 * <tr><td>startupMaxReconnectAttempts</td><td>maxReconnectAttempts</td><td>the same for the first connection
 * (-1 for ever, 0 and 1 one pass)</td></tr>
 * <tr><td>randomize</td><td>false</td><td>shuffle the URIs once when the connection is made, rather than try them
 * in the order given</td></tr>
 * <tr><td>timeout</td><td>-1</td><td>ms a request (a send, opening a session...) waits for a reconnection before it
 * fails; -1 waits as long as failover tries</td></tr>
 * </table>
 * A pass tries each URI once, starting with the one after the URI that was lost. Unknown keys and bad values are
 * errors that name them.
 */
public record FailoverOptions(List<ConnectionOptions> uris, long initialReconnectDelay, long maxReconnectDelay,
                              boolean useExponentialBackOff, double reconnectBackOffMultiplier,
                              int maxReconnectAttempts, int startupMaxReconnectAttempts, boolean randomize,
                              long timeout, String uri) {

    static final String SCHEME = "failover:";

    static final Set<String> KEYS = Set.of("initialReconnectDelay", "maxReconnectDelay",
            "useExponentialBackOff", "reconnectBackOffMultiplier", "maxReconnectAttempts",
            "startupMaxReconnectAttempts", "randomize", "timeout");

    static boolean isFailover(String uri) {
        return uri != null && uri.trim().regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Passes allowed for the first connection (-1 for ever). */
    public int startupAttempts() {
        return startupMaxReconnectAttempts;
    }

    /**
     * Parses a failover URI.
     *
     * @throws JMSException naming the URI and the bad part
     */
    static FailoverOptions parse(String uri) throws JMSException {
        String rest = uri.trim().substring(SCHEME.length()).trim();
        String list;
        String query = null;
        if (rest.startsWith("(")) {
            int close = rest.lastIndexOf(')');
            if (close < 0) {
                throw new JMSException("failover URI '" + uri + "' opens '(' but never closes it");
            }
            list = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith("?")) {
                    throw new JMSException("failover URI '" + uri + "': expected '?' after ')', found '" + after + "'");
                }
                query = after.substring(1);
            }
        } else {
            list = rest;
        }
        Map<String, String> outer = ConnectionOptions.query(uri, query);
        Map<String, String> failover = new LinkedHashMap<>();
        Map<String, String> connection = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : outer.entrySet()) {
            (KEYS.contains(e.getKey()) ? failover : connection).put(e.getKey(), e.getValue());
        }
        List<ConnectionOptions> uris = new ArrayList<>();
        for (String nested : list.split(",")) {
            if (nested.isBlank()) {
                continue;
            }
            if (isFailover(nested)) {
                throw new JMSException("failover URI '" + uri + "' nests another failover URI");
            }
            uris.add(ConnectionOptions.parse(withDefaults(nested.trim(), connection), uri.trim()));
        }
        if (uris.isEmpty()) {
            throw new JMSException("failover URI '" + uri + "' names no broker; use failover:(tcp://a:61616,"
                    + "tcp://b:61617)");
        }
        int max = attempts(uri, failover, "maxReconnectAttempts", -1);
        return new FailoverOptions(List.copyOf(uris),
                number(uri, failover, "initialReconnectDelay", 10, 0),
                number(uri, failover, "maxReconnectDelay", 30_000, 0),
                bool(uri, failover, "useExponentialBackOff", true),
                multiplier(uri, failover),
                max,
                attempts(uri, failover, "startupMaxReconnectAttempts", max),
                bool(uri, failover, "randomize", false),
                number(uri, failover, "timeout", -1, -1),
                uri.trim());
    }

    /** Appends the outer connection parameters a nested URI does not set itself. */
    private static String withDefaults(String nested, Map<String, String> connection) {
        if (connection.isEmpty()) {
            return nested;
        }
        int q = nested.indexOf('?');
        Set<String> own = new TreeSet<>();
        if (q >= 0) {
            for (String pair : nested.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                own.add(eq < 0 ? pair : pair.substring(0, eq));
            }
        }
        StringBuilder b = new StringBuilder(nested);
        char sep = q >= 0 ? '&' : '?';
        for (Map.Entry<String, String> e : connection.entrySet()) {
            if (!own.contains(e.getKey())) {
                b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
                sep = '&';
            }
        }
        return b.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long number(String uri, Map<String, String> p, String key, long dflt, long min)
            throws JMSException {
        String s = p.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JMSException("failover URI '" + uri + "': option " + key + "=" + s + " is not a whole number of at"
                + " least " + min, "INVALID_OPTION");
    }

    private static int attempts(String uri, Map<String, String> p, String key, int dflt) throws JMSException {
        long v = number(uri, p, key, dflt, -1);
        if (v > Integer.MAX_VALUE) {
            throw new JMSException("failover URI '" + uri + "': option " + key + "=" + v + " is too large",
                    "INVALID_OPTION");
        }
        return (int) v;
    }

    private static double multiplier(String uri, Map<String, String> p) throws JMSException {
        String s = p.get("reconnectBackOffMultiplier");
        if (s == null) {
            return 2;
        }
        try {
            double v = Double.parseDouble(s.trim());
            if (v >= 1 && !Double.isInfinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JMSException("failover URI '" + uri + "': option reconnectBackOffMultiplier=" + s
                + " is not a number of at least 1", "INVALID_OPTION");
    }

    private static boolean bool(String uri, Map<String, String> p, String key, boolean dflt) throws JMSException {
        String s = p.get(key);
        if (s == null) {
            return dflt;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new JMSException("failover URI '" + uri + "': option " + key + "=" + s + " is neither true nor false",
                "INVALID_OPTION");
    }
}
