package io.tern.jms.provider;

import io.tern.jms.wire.FrameDescriptor;
import jakarta.jms.JMSException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A connection URI, parsed: {@code tcp://host:port?key=value&...} or {@code vm://name?key=value&...}.
 *
 * <table>
 * <caption>URI parameters</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>clientId</td><td>none</td><td>the JMS client id every connection from this factory gets</td></tr>
 * <tr><td>user, password</td><td>none</td><td>credentials, unless createConnection(user, password) names others</td></tr>
 * <tr><td>prefetch</td><td>1000</td><td>messages the broker may push to a consumer ahead of the application</td></tr>
 * <tr><td>sendTimeout</td><td>0</td><td>ms a synchronous send waits for the broker before failing; 0 waits for ever</td></tr>
 * <tr><td>requestTimeout</td><td>30000</td><td>ms any other request (open a session, a consumer, commit) waits</td></tr>
 * <tr><td>asyncSend</td><td>false</td><td>send non-persistent messages without waiting for the broker</td></tr>
 * <tr><td>producerWindow</td><td>100</td><td>unanswered asynchronous sends a connection allows before a send waits</td></tr>
 * <tr><td>connectTimeout</td><td>10000</td><td>ms to open the socket and finish the handshake</td></tr>
 * <tr><td>heartbeat</td><td>10000</td><td>ms between heartbeats on tcp (0 = none; vm never needs them)</td></tr>
 * <tr><td>maxFrameSize</td><td>67108864</td><td>largest frame, so largest message, in bytes</td></tr>
 * <tr><td>create</td><td>true</td><td>vm only: start an in-JVM broker of that name if none runs</td></tr>
 * <tr><td>broker.*</td><td></td><td>vm only: passed to the in-JVM broker it starts (prefix removed)</td></tr>
 * </table>
 * An unknown key is an error that names it. A {@code failover:(uri,uri...)?options} URI is parsed by
 * {@link FailoverOptions}; its options are those of the first nested URI, with {@link #failover()} set.
 */
public record ConnectionOptions(String scheme, String host, int port, String vmName, String clientId, String user,
                                String password, int prefetch, long sendTimeout, long requestTimeout,
                                boolean asyncSend, int producerWindow, long connectTimeout, int heartbeat,
                                int maxFrameSize, boolean create, Map<String, String> brokerOptions,
                                FailoverOptions failover) {

    public static final int DEFAULT_PORT = 61616;

    private static final Set<String> KEYS = Set.of("clientId", "user", "password", "prefetch", "sendTimeout",
            "requestTimeout", "asyncSend", "producerWindow", "connectTimeout", "heartbeat", "maxFrameSize", "create");

    public boolean isVm() {
        return "vm".equals(scheme);
    }

    /**
     * Parses a URI.
     *
     * @throws JMSException naming the URI and the bad part
     */
    public static ConnectionOptions parse(String uri) throws JMSException {
        if (uri == null || uri.isBlank()) {
            throw new JMSException("no broker URI given; use tcp://host:port, vm://name or failover:(uri,uri)");
        }
        if (FailoverOptions.isFailover(uri)) {
            FailoverOptions f = FailoverOptions.parse(uri);
            return f.uris().get(0).withFailover(f);
        }
        return parse(uri, null);
    }

    /** True for a failover URI: the connection moves between the brokers {@link #failover()} lists. */
    public boolean isFailover() {
        return failover != null;
    }

    private ConnectionOptions withFailover(FailoverOptions f) {
        return new ConnectionOptions(scheme, host, port, vmName, clientId, user, password, prefetch, sendTimeout,
                requestTimeout, asyncSend, producerWindow, connectTimeout, heartbeat, maxFrameSize, create,
                brokerOptions, f);
    }

    /** Parses one plain URI; {@code failoverUri} names the failover URI it is nested in, for messages, or is null. */
    static ConnectionOptions parse(String uri, String failoverUri) throws JMSException {
        URI u;
        try {
            u = new URI(uri.trim());
        } catch (URISyntaxException e) {
            throw new JMSException("broker URI '" + uri + "' is not a valid URI: " + e.getMessage());
        }
        String scheme = u.getScheme();
        if (!"tcp".equals(scheme) && !"vm".equals(scheme)) {
            throw new JMSException("broker URI '" + uri + "' has scheme '" + scheme
                    + "'; Tern speaks tcp:// and vm://");
        }
        Map<String, String> params = query(uri, u.getRawQuery());
        Map<String, String> brokerOptions = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().startsWith("broker.")) {
                brokerOptions.put(e.getKey().substring("broker.".length()), e.getValue());
            } else if (!KEYS.contains(e.getKey())) {
                throw new JMSException("broker URI '" + uri + "' has unknown parameter '" + e.getKey()
                        + "'; known parameters: " + String.join(", ", new java.util.TreeSet<>(KEYS))
                        + (failoverUri == null ? "" : "; failover options of '" + failoverUri + "': "
                        + String.join(", ", new java.util.TreeSet<>(FailoverOptions.KEYS))));
            }
        }
        String host = null;
        int port = 0;
        String vmName = null;
        if ("tcp".equals(scheme)) {
            host = u.getHost();
            if (host == null) {
                throw new JMSException("broker URI '" + uri + "' names no host; use tcp://host:port");
            }
            port = u.getPort() == -1 ? DEFAULT_PORT : u.getPort();
            if (!brokerOptions.isEmpty()) {
                throw new JMSException("broker URI '" + uri + "': broker.* parameters only apply to vm://");
            }
        } else {
            vmName = u.getAuthority() != null ? u.getAuthority() : u.getSchemeSpecificPart();
            int q = vmName.indexOf('?');
            if (q >= 0) {
                vmName = vmName.substring(0, q);
            }
            if (vmName.startsWith("//")) {
                vmName = vmName.substring(2);
            }
            if (vmName.isEmpty()) {
                throw new JMSException("broker URI '" + uri + "' names no broker; use vm://name");
            }
        }
        return new ConnectionOptions(scheme, host, port, vmName, params.get("clientId"), params.get("user"),
                params.get("password"),
                intParam(uri, params, "prefetch", 1000, 0),
                longParam(uri, params, "sendTimeout", 0),
                longParam(uri, params, "requestTimeout", 30_000),
                boolParam(uri, params, "asyncSend", false),
                intParam(uri, params, "producerWindow", 100, 1),
                longParam(uri, params, "connectTimeout", 10_000),
                intParam(uri, params, "heartbeat", 10_000, 0),
                intParam(uri, params, "maxFrameSize", FrameDescriptor.DEFAULT_MAX_FRAME_SIZE,
                        FrameDescriptor.MIN_MAX_FRAME_SIZE),
                boolParam(uri, params, "create", true),
                Collections.unmodifiableMap(brokerOptions), null);
    }

    static Map<String, String> query(String uri, String rawQuery) throws JMSException {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new JMSException("broker URI '" + uri + "': parameter '" + pair + "' has no value");
            }
            params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static int intParam(String uri, Map<String, String> p, String key, int dflt, int min)
            throws JMSException {
        long v = longParam(uri, p, key, dflt);
        if (v < min || v > Integer.MAX_VALUE) {
            throw new JMSException("broker URI '" + uri + "': " + key + "=" + p.get(key)
                    + " is out of range (" + min + ".." + Integer.MAX_VALUE + ")");
        }
        return (int) v;
    }

    private static long longParam(String uri, Map<String, String> p, String key, long dflt) throws JMSException {
        String s = p.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new JMSException("broker URI '" + uri + "': " + key + "=" + s + " is not a non-negative number");
        }
    }

    private static boolean boolParam(String uri, Map<String, String> p, String key, boolean dflt)
            throws JMSException {
        String s = p.get(key);
        if (s == null) {
            return dflt;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new JMSException("broker URI '" + uri + "': " + key + "=" + s + " is neither true nor false");
    }

    /** Where this URI points, for messages: {@code tcp://host:port} or {@code vm://name}. */
    public String address() {
        if (failover != null) {
            return failover.uri();
        }
        return isVm() ? "vm://" + vmName : "tcp://" + host + ":" + port;
    }
}
