package io.tern.broker;

import io.tern.broker.destination.RedeliveryPolicy;
import io.tern.broker.flow.FlowLimit;
import io.tern.jms.wire.FrameDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link Broker} is configured with. Every field has a default ({@link #defaults()}); change fields
 * with {@link #builder()} or {@link #toBuilder()}. The launcher reads the same fields from a properties file
 * ({@code io.tern.broker.config.ConfigKey} documents each key).
 *
 * @param name                   the broker's name, sent to clients in HELLO_OK; default {@code localhost}
 * @param host                   the interface the TCP acceptor binds; default {@code 127.0.0.1}
 * @param port                   the TCP port; 0 picks a free one ({@link Broker#port()} tells which); default 61616
 * @param tcpEnabled             whether to accept TCP connections at all; default true
 * @param vmName                 the broker is also reachable in this JVM at {@code vm://vmName}; default the name
 * @param dataDir                where stores keep their files; default {@code ./data}
 * @param autoCreateDestinations create a queue or topic on first use; when false, only configured or created
 *                               destinations exist; default true
 * @param maxFrameSize           the largest frame the broker accepts or sends after the handshake (bytes after the
 *                               length field); default 64 MiB, never below 1 KiB
 * @param heartbeatMillis        the heartbeat interval the broker offers; 0 turns heartbeats off; default 10000
 * @param users                  user name to password; empty allows anonymous connections; default empty
 * @param queues                 queues created at start
 * @param topics                 topics created at start
 * @param redelivery             redelivery delay and dead-letter queue for every queue without its own policy
 * @param queuePolicies          queue name to its own redelivery policy
 * @param store                  the store a broker built with {@code new Broker(config)} opens, by its
 *                               {@link io.tern.broker.store.StoreFactory} name; default {@code journal}
 * @param storeOptions           settings for that store, by key (e.g. {@code journal.sync}); the store reads its
 *                               own and ignores the rest; default empty
 * @param expiryQueue            where expired messages go (never to expire there); empty drops them; default empty
 * @param storeLimitBytes        store usage (bytes) at which persistent sends wait for space; 0 for no limit;
 *                               default 0
 * @param storeLimitWaitMillis   how long such a send waits before it is refused; 0 waits for ever; default 60000
 * @param memoryLimitBytes       the bytes the messages held by queues and durable subscriptions may take before
 *                               their persistent messages stay in the store only (paging); at least 1; default a
 *                               sixteenth of the JVM's maximum heap
 * @param xaDefaultTimeoutSeconds how long an XA branch may stay unprepared before the broker rolls it back, unless
 *                               its transaction manager set its own timeout; 0 for no timeout; default 300
 * @param standby                when another broker holds the store's lock (the journal's directory, the JDBC
 *                               store's lease): wait as a standby and take over when it is free (true), or fail to
 *                               start at once (false); default true
 * @param standbyPollMillis      how often a standby tries the store's lock, in ms, at least 1; default 1000
 * @param producerFlow           how far a queue's or a topic subscription's consumers may fall behind before the
 *                               producers of non-persistent messages are paced ({@code producer-flow-limit},
 *                               {@code producer-flow-stall-ms}); default {@link FlowLimit#defaults()}
 */
public record BrokerConfig(String name, String host, int port, boolean tcpEnabled, String vmName, Path dataDir,
                           boolean autoCreateDestinations, int maxFrameSize, int heartbeatMillis,
                           Map<String, String> users, List<String> queues, List<String> topics,
                           RedeliveryPolicy redelivery, Map<String, RedeliveryPolicy> queuePolicies, String store,
                           Map<String, String> storeOptions, String expiryQueue, long storeLimitBytes,
                           long storeLimitWaitMillis, long memoryLimitBytes, int xaDefaultTimeoutSeconds,
                           boolean standby, int standbyPollMillis, FlowLimit producerFlow) {

    /**
     * The store a broker uses unless configured otherwise: the journal, so persistent messages survive a restart
     * without any configuration (it needs the tern-store-journal jar; {@code memory} keeps nothing).
     */
    public static final String DEFAULT_STORE = "journal";

    public static final int DEFAULT_PORT = 61616;
    public static final int DEFAULT_HEARTBEAT_MILLIS = 10_000;
    /** The default {@code xa.default-timeout-seconds}: five minutes, as Artemis has it. */
    public static final int DEFAULT_XA_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_STANDBY_POLL_MILLIS = 1000;

    public BrokerConfig {
        requireText(name, "name");
        requireText(host, "host");
        requireText(vmName, "vmName");
        requireText(store, "store");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (maxFrameSize < FrameDescriptor.MIN_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize " + maxFrameSize + " is below the minimum "
                    + FrameDescriptor.MIN_MAX_FRAME_SIZE);
        }
        if (heartbeatMillis < 0) {
            throw new IllegalArgumentException("heartbeatMillis " + heartbeatMillis + " is negative");
        }
        Objects.requireNonNull(redelivery, "redelivery");
        Objects.requireNonNull(producerFlow, "producerFlow");
        Objects.requireNonNull(expiryQueue, "expiryQueue");
        if (storeLimitBytes < 0 || storeLimitWaitMillis < 0) {
            throw new IllegalArgumentException("storeLimitBytes and storeLimitWaitMillis must not be negative");
        }
        if (xaDefaultTimeoutSeconds < 0) {
            throw new IllegalArgumentException("xaDefaultTimeoutSeconds " + xaDefaultTimeoutSeconds + " is negative");
        }
        if (memoryLimitBytes < 1) {
            throw new IllegalArgumentException("memoryLimitBytes " + memoryLimitBytes + " must be at least 1");
        }
        if (standbyPollMillis < 1) {
            throw new IllegalArgumentException("standbyPollMillis " + standbyPollMillis + " must be at least 1");
        }
        queuePolicies = Map.copyOf(queuePolicies);
        users = Map.copyOf(users);
        queues = List.copyOf(queues);
        topics = List.copyOf(topics);
        storeOptions = Map.copyOf(storeOptions);
    }

    public static BrokerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().name(name).host(host).port(port).tcpEnabled(tcpEnabled).vmName(vmName)
                .dataDir(dataDir).autoCreateDestinations(autoCreateDestinations).maxFrameSize(maxFrameSize)
                .heartbeatMillis(heartbeatMillis).users(users).queues(queues).topics(topics).redelivery(redelivery)
                .queuePolicies(queuePolicies).store(store).storeOptions(storeOptions).expiryQueue(expiryQueue)
                .storeLimitBytes(storeLimitBytes).storeLimitWaitMillis(storeLimitWaitMillis)
                .memoryLimitBytes(memoryLimitBytes).xaDefaultTimeoutSeconds(xaDefaultTimeoutSeconds)
                .standby(standby).standbyPollMillis(standbyPollMillis).producerFlow(producerFlow);
    }

    /**
     * The default {@code memory-limit}: a sixteenth of the heap this JVM may grow to (64 MiB with {@code -Xmx1g}).
     * Consumers are fed a page (at most 1000 messages) at a time, so a larger window does not drain a backlog
     * faster; it only makes the collector copy more long-lived messages and grow the heap (and the RSS) with them.
     */
    public static long defaultMemoryLimitBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 16);
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }

    /** Builds a {@link BrokerConfig}; fields not set keep their defaults. */
    public static final class Builder {
        private String name = "localhost";
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean tcpEnabled = true;
        private String vmName;
        private Path dataDir = Path.of("./data");
        private boolean autoCreateDestinations = true;
        private int maxFrameSize = FrameDescriptor.DEFAULT_MAX_FRAME_SIZE;
        private int heartbeatMillis = DEFAULT_HEARTBEAT_MILLIS;
        private Map<String, String> users = Map.of();
        private List<String> queues = List.of();
        private List<String> topics = List.of();
        private RedeliveryPolicy redelivery = RedeliveryPolicy.DEFAULT;
        private String expiryQueue = "";
        private long storeLimitBytes;
        private long storeLimitWaitMillis = 60_000;
        private long memoryLimitBytes = defaultMemoryLimitBytes();
        private int xaDefaultTimeoutSeconds = DEFAULT_XA_TIMEOUT_SECONDS;
        private boolean standby = true;
        private int standbyPollMillis = DEFAULT_STANDBY_POLL_MILLIS;
        private FlowLimit producerFlow = FlowLimit.defaults();
        private Map<String, RedeliveryPolicy> queuePolicies = Map.of();
        private String store = DEFAULT_STORE;
        private final Map<String, String> storeOptions = new java.util.TreeMap<>();

        private Builder() {
        }

        /** Store usage in bytes at which persistent sends wait for space; 0 (the default) for no limit. */
        public Builder storeLimitBytes(long storeLimitBytes) {
            this.storeLimitBytes = storeLimitBytes;
            return this;
        }

        /**
         * The bytes messages held in memory by queues and durable subscriptions may take before persistent ones
         * stay in the store only. Default a sixteenth of the maximum heap.
         */
        public Builder memoryLimitBytes(long memoryLimitBytes) {
            this.memoryLimitBytes = memoryLimitBytes;
            return this;
        }

        /** How long a send waits for store space before it is refused; 0 waits for ever. Default 60000. */
        public Builder storeLimitWaitMillis(long storeLimitWaitMillis) {
            this.storeLimitWaitMillis = storeLimitWaitMillis;
            return this;
        }

        /**
         * How long an XA branch may stay unprepared before the broker rolls it back, when its transaction manager
         * set no timeout ({@code XAResource.setTransactionTimeout}); 0 for no timeout. Default 300.
         */
        public Builder xaDefaultTimeoutSeconds(int xaDefaultTimeoutSeconds) {
            this.xaDefaultTimeoutSeconds = xaDefaultTimeoutSeconds;
            return this;
        }

        /**
         * Whether to wait as a standby while another broker holds the store's lock (true, the default) or to fail
         * to start at once.
         */
        public Builder standby(boolean standby) {
            this.standby = standby;
            return this;
        }

        /** How often a standby tries the store's lock, in ms. Default 1000. */
        /** See {@link BrokerConfig#producerFlow()}. */
        public Builder producerFlow(FlowLimit producerFlow) {
            this.producerFlow = producerFlow;
            return this;
        }

        public FlowLimit producerFlow() {
            return producerFlow;
        }

        public Builder standbyPollMillis(int standbyPollMillis) {
            this.standbyPollMillis = standbyPollMillis;
            return this;
        }

        /** Where expired messages go; empty (the default) drops them. */
        public Builder expiryQueue(String expiryQueue) {
            this.expiryQueue = expiryQueue;
            return this;
        }

        /** The redelivery policy of every queue without its own. */
        public Builder redelivery(RedeliveryPolicy redelivery) {
            this.redelivery = redelivery;
            return this;
        }

        public RedeliveryPolicy redelivery() {
            return redelivery;
        }

        /** Queue name to its own redelivery policy. */
        public Builder queuePolicies(Map<String, RedeliveryPolicy> queuePolicies) {
            this.queuePolicies = queuePolicies;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tcpEnabled(boolean tcpEnabled) {
            this.tcpEnabled = tcpEnabled;
            return this;
        }

        /** The {@code vm://} name; null means "the broker's name". */
        public Builder vmName(String vmName) {
            this.vmName = vmName;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder autoCreateDestinations(boolean autoCreateDestinations) {
            this.autoCreateDestinations = autoCreateDestinations;
            return this;
        }

        public Builder maxFrameSize(int maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        public Builder heartbeatMillis(int heartbeatMillis) {
            this.heartbeatMillis = heartbeatMillis;
            return this;
        }

        public Builder users(Map<String, String> users) {
            this.users = users;
            return this;
        }

        public Builder queues(List<String> queues) {
            this.queues = queues;
            return this;
        }

        public Builder topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        /** The store's {@link io.tern.broker.store.StoreFactory} name, e.g. {@code memory} or {@code journal}. */
        public Builder store(String store) {
            this.store = store;
            return this;
        }

        /** One store setting, e.g. {@code storeOption("journal.sync", "never")}. */
        public Builder storeOption(String key, String value) {
            storeOptions.put(key, value);
            return this;
        }

        /** Replaces every store setting. */
        public Builder storeOptions(Map<String, String> options) {
            storeOptions.clear();
            storeOptions.putAll(options);
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(name, host, port, tcpEnabled, vmName == null ? name : vmName, dataDir,
                    autoCreateDestinations, maxFrameSize, heartbeatMillis, users, queues, topics, redelivery,
                    queuePolicies, store, storeOptions, expiryQueue, storeLimitBytes, storeLimitWaitMillis,
                    memoryLimitBytes, xaDefaultTimeoutSeconds, standby, standbyPollMillis, producerFlow);
        }
    }
}
