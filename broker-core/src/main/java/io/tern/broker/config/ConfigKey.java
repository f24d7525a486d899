package io.tern.broker.config;

import io.tern.broker.BrokerConfig;
import io.tern.jms.wire.FrameDescriptor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Every key of the broker's properties file ({@code conf/tern.properties}); each is optional. The same key is read
 * from a system property {@code tern.KEY} and an environment variable {@code TERN_KEY} (upper case, '-' and '.' as
 * '_': {@code TERN_JOURNAL_SYNC}).
 */
public enum ConfigKey {
    /** The broker's name, sent to clients in HELLO_OK. Default {@code localhost}. */
    NAME("name", (b, v) -> b.name(text(v))),
    /** The interface the TCP acceptor binds. Default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface. */
    HOST("host", (b, v) -> b.host(text(v))),
    /** The TCP port, 0..65535; 0 picks a free one. Default 61616. */
    PORT("port", (b, v) -> b.port(integer(v, 0, 65535))),
    /** The in-JVM name: the broker is reachable at {@code vm://NAME} from its own JVM. Default: the broker's name. */
    VM_NAME("vm-name", (b, v) -> b.vmName(text(v))),
    /** Where stores keep their files. Default {@code ./data}. */
    DATA_DIR("data-dir", (b, v) -> b.dataDir(Path.of(text(v)))),
    /** {@code true} or {@code false}: create queues and topics on first use. Default true. */
    AUTO_CREATE_DESTINATIONS("auto-create-destinations", (b, v) -> b.autoCreateDestinations(bool(v))),
    /** The largest frame (so the largest message) in bytes, at least 1024. Default 67108864 (64 MiB). */
    MAX_FRAME_SIZE("max-frame-size", (b, v) -> b.maxFrameSize(integer(v, FrameDescriptor.MIN_MAX_FRAME_SIZE,
            Integer.MAX_VALUE))),
    /** The heartbeat interval the broker offers, in ms; 0 turns heartbeats off. Default 10000. */
    HEARTBEAT_MS("heartbeat-ms", (b, v) -> b.heartbeatMillis(integer(v, 0, Integer.MAX_VALUE))),
    /** Queues to create at start, comma separated. Default none. */
    QUEUES("queues", (b, v) -> b.queues(list(v))),
    /** Topics to create at start, comma separated. Default none. */
    TOPICS("topics", (b, v) -> b.topics(list(v))),
    /** Users as {@code name:password} pairs, comma separated; when empty, anonymous connections are allowed. */
    USERS("users", (b, v) -> b.users(users(v))),
    /** Deliveries after which a message given back again goes to the dead-letter queue; 0 for never. Default 10. */
    MAX_DELIVERIES("max-deliveries", (b, v) -> b.redelivery(b.redelivery()
            .withMaxDeliveries(integer(v, 0, Integer.MAX_VALUE)))),
    /**
     * Store usage at which producers of persistent messages wait for consumers to free space, in bytes with an
     * optional k, m or g suffix (powers of 1024); 0 for no limit. Default 0.
     */
    STORE_LIMIT("store-limit", (b, v) -> b.storeLimitBytes(bytes(v))),
    /** How long a send waits at the store limit before it is refused with an error naming the limit; 0 waits for
     * ever. Default 60000. */
    STORE_LIMIT_WAIT_MS("store-limit-wait-ms", (b, v) -> b.storeLimitWaitMillis(integer(v, 0, Integer.MAX_VALUE))),
    /**
     * The memory the messages held by queues and durable subscriptions may take, in bytes with an optional k, m or
     * g suffix; at least 1. Beyond it a queue's persistent messages stay in the store and are read back a page at a
     * time as consumers take them. Default a sixteenth of the maximum heap.
     */
    MEMORY_LIMIT("memory-limit", (b, v) -> b.memoryLimitBytes(positive(bytes(v)))),
    /**
     * How much a queue, or one subscription of a topic, may hold for its consumers (messages waiting and delivered,
     * not yet acknowledged), in bytes with an optional k, m or g suffix, before the answers to non-persistent sends
     * outside transactions wait for the consumers to catch up, so producers go at the consumers' pace; 0 turns
     * this pacing off. Default 256k.
     */
    PRODUCER_FLOW_LIMIT("producer-flow-limit", (b, v) -> b.producerFlow(new io.tern.broker.flow.FlowLimit(bytes(v),
            b.producerFlow().stallMillis()))),
    /**
     * Consumers that took no message for this many ms are stalled: producers are not paced for them until they
     * take one again (so pacing never waits on a consumer that waits itself); at least 1. Default 1000.
     */
    PRODUCER_FLOW_STALL_MS("producer-flow-stall-ms", (b, v) -> b.producerFlow(new io.tern.broker.flow.FlowLimit(
            b.producerFlow().bytes(), integer(v, 1, Integer.MAX_VALUE)))),
    /**
     * Seconds an XA branch may stay unprepared before the broker rolls it back, unless its transaction manager set
     * its own timeout with {@code XAResource.setTransactionTimeout}; 0 for no timeout. Default 300.
     */
    XA_DEFAULT_TIMEOUT_SECONDS("xa.default-timeout-seconds", (b, v) -> b.xaDefaultTimeoutSeconds(
            integer(v, 0, Integer.MAX_VALUE))),
    /** Where expired messages go (they never expire there); empty drops them. Default empty. */
    EXPIRY_QUEUE("expiry-queue", (b, v) -> b.expiryQueue(v)),
    /** The dead-letter queue's name. Default {@code DLQ}. */
    DEAD_LETTER_QUEUE("dead-letter-queue", (b, v) -> b.redelivery(b.redelivery().withDeadLetterQueue(text(v)))),
    /** ms to wait before redelivering a message given back; 0 redelivers at once. Default 0. */
    REDELIVERY_DELAY_MS("redelivery-delay-ms", (b, v) -> b.redelivery(b.redelivery()
            .withRedeliveryDelayMillis(integer(v, 0, Integer.MAX_VALUE)))),
    /** Each later redelivery waits this many times longer than the one before; at least 1. Default 1. */
    REDELIVERY_BACKOFF("redelivery-backoff", (b, v) -> b.redelivery(b.redelivery()
            .withBackoffMultiplier(multiplier(v)))),
    /** The longest redelivery delay in ms, whatever the back-off. Default 60000. */
    REDELIVERY_MAX_DELAY_MS("redelivery-max-delay-ms", (b, v) -> b.redelivery(b.redelivery()
            .withMaxRedeliveryDelayMillis(integer(v, 0, Integer.MAX_VALUE)))),
    /**
     * The store for persistent messages, by name: {@code journal} (files in {@code DATA_DIR/journal}; needs the
     * tern-store-journal jar), {@code jdbc} (a database, see {@code jdbc.url}; needs the tern-store-jdbc jar) or
     * {@code memory} (nothing survives a restart). Default {@code journal}.
     */
    STORE("store", (b, v) -> b.store(text(v))),
    /**
     * {@code true} or {@code false}: when another broker holds the store (the journal's directory lock, the JDBC
     * store's lease), wait as a standby and become active when it is free (true), or fail to start (false). Default
     * true.
     */
    HA_STANDBY("ha.standby", (b, v) -> b.standby(bool(v))),
    /** How often a standby tries the store's lock, in ms, 1..3600000. Default 1000. */
    HA_POLL_MS("ha.poll-ms", (b, v) -> b.standbyPollMillis(integer(v, 1, 3_600_000))),
    /** Journal store: the size at which a data file rolls over, in bytes, 4096..1073741824. Default 33554432. */
    JOURNAL_FILE_SIZE("journal.file-size", (b, v) -> b.storeOption("journal.file-size",
            Integer.toString(integer(v, 4096, 1 << 30)))),
    /**
     * Journal store: when writes are forced to disk. {@code always} (a send returns after fsync; the default),
     * {@code periodic} (every {@code journal.sync-interval-ms}) or {@code never} (left to the OS).
     */
    JOURNAL_SYNC("journal.sync", (b, v) -> b.storeOption("journal.sync", oneOf(v, "always", "periodic", "never"))),
    /** Journal store with {@code journal.sync=periodic}: the longest time between forces, in ms. Default 1000. */
    JOURNAL_SYNC_INTERVAL_MS("journal.sync-interval-ms", (b, v) -> b.storeOption("journal.sync-interval-ms",
            Integer.toString(integer(v, 1, Integer.MAX_VALUE)))),
    /**
     * Journal store: a data file (not one of the two newest) whose live records take less than this percentage of
     * it is compacted: they are written again at the head of the journal and the file is deleted. 0 turns
     * compaction off; 0..50. Default 10.
     */
    JOURNAL_COMPACT_BELOW_PERCENT("journal.compact-below-percent", (b, v) -> b.storeOption(
            "journal.compact-below-percent", Integer.toString(integer(v, 0, 50)))),
    /**
     * Journal store: how often, in ms, the index is written to a checkpoint when something changed (and on a clean
     * stop). A restart replays only the journal written after the last checkpoint. Default 5000.
     */
    JOURNAL_CHECKPOINT_INTERVAL_MS("journal.checkpoint-interval-ms", (b, v) -> b.storeOption(
            "journal.checkpoint-interval-ms", Integer.toString(integer(v, 1, Integer.MAX_VALUE)))),
    /**
     * Journal store: how long, in µs, the writer thread polls for the next record after a batch before it parks, so
     * that the next synchronous send is taken without waking a parked thread; it polls only while that pays. 0
     * turns it off; 0..1000. Default 100.
     */
    JOURNAL_SPIN_MICROS("journal.spin-micros", (b, v) -> b.storeOption("journal.spin-micros",
            Integer.toString(integer(v, 0, 1000)))),
    /**
     * JDBC store: the database's JDBC URL ({@code jdbc:h2:}, {@code jdbc:postgresql:} or {@code jdbc:mariadb:}).
     * Default: an embedded H2 database in {@code DATA_DIR/jdbc}.
     */
    JDBC_URL("jdbc.url", (b, v) -> b.storeOption("jdbc.url", text(v))),
    /** JDBC store: the database user. Default none (the driver's default). */
    JDBC_USER("jdbc.user", (b, v) -> b.storeOption("jdbc.user", v)),
    /** JDBC store: the database user's password. Default none. */
    JDBC_PASSWORD("jdbc.password", (b, v) -> b.storeOption("jdbc.password", v)),
    /** JDBC store: the most connections its pool opens (one is the writer's), 2..1000. Default 8. */
    JDBC_POOL_SIZE("jdbc.pool-size", (b, v) -> b.storeOption("jdbc.pool-size", Integer.toString(integer(v, 2,
            1000)))),
    /**
     * JDBC store: how long the lease that makes a broker the database's active one lasts after each renewal, in ms,
     * 300..3600000; a standby takes over at the latest this long after the active broker's last renewal. Default
     * 10000.
     */
    JDBC_LEASE_MS("jdbc.lease-ms", (b, v) -> b.storeOption("jdbc.lease-ms", Integer.toString(integer(v, 300,
            3_600_000)))),
    /**
     * JDBC store: how often the active broker renews its lease, in ms, at most a third of {@code jdbc.lease-ms}. A
     * broker that has not renewed for {@code jdbc.lease-ms} less this stops serving. Default 2000.
     */
    JDBC_LEASE_RENEW_MS("jdbc.lease-renew-ms", (b, v) -> b.storeOption("jdbc.lease-renew-ms",
            Integer.toString(integer(v, 100, 1_200_000))));

    private final String key;
    private final BiConsumer<BrokerConfig.Builder, String> apply;

    ConfigKey(String key, BiConsumer<BrokerConfig.Builder, String> apply) {
        this.key = key;
        this.apply = apply;
    }

    /** The key as written in the properties file. */
    public String key() {
        return key;
    }

    public String systemProperty() {
        return "tern." + key;
    }

    public String environmentVariable() {
        return "TERN_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** The key named {@code name} in the file's spelling ({@code data-dir}) or in camel case ({@code dataDir}). */
    public static Optional<ConfigKey> named(String name) {
        String kebab = name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.key.equals(kebab)).findFirst();
    }

    /** Every key in the file's spelling, for error messages. */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(ConfigKey::key).toList());
    }

    /**
     * Applies a value to a builder.
     *
     * @throws IllegalArgumentException saying why the value is bad
     */
    void apply(BrokerConfig.Builder builder, String value) {
        apply.accept(builder, value.trim());
    }

    private static String text(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v;
    }

    private static int integer(String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("is outside " + min + ".." + max);
        }
        return (int) n;
    }

    private static long bytes(String v) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k") || s.endsWith("m") || s.endsWith("g")) {
            unit = s.endsWith("k") ? 1L << 10 : s.endsWith("m") ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1).trim();
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a byte count (a whole number, optionally with k, m or g)");
        }
    }

    private static long positive(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    private static double multiplier(String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a number");
        }
        if (!(d >= 1.0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a number of at least 1");
        }
        return d;
    }

    private static boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static String oneOf(String v, String... allowed) {
        if (!List.of(allowed).contains(v)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> users(String v) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String pair : list(v)) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("needs name:password pairs; '" + pair + "' has no name:");
            }
            users.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return users;
    }
}
