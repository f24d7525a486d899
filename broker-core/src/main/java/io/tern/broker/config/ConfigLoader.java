package io.tern.broker.config;

import io.tern.broker.BrokerConfig;
import io.tern.broker.destination.RedeliveryPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds a {@link BrokerConfig} from, in order of precedence: command-line flags, system properties
 * ({@code tern.port}), environment variables ({@code TERN_PORT}), the properties file, and the defaults.
 * {@link ConfigKey} documents every key. An unknown key in the file, in a {@code tern.*} system property or on the
 * command line is an error; environment variables other than the known {@code TERN_*} ones are ignored, since the
 * environment is shared with other programs.
 *
 * <p>A queue may have its own redelivery policy: {@code queue.NAME.KEY} for the keys {@link #PER_QUEUE_KEYS}
 * (e.g. {@code queue.orders.max-deliveries=3}, {@code queue.orders.dead-letter-queue=orders.DLQ}); what it does not
 * set comes from the broker-wide keys.
 */
public final class ConfigLoader {
    private record Value(String value, String source) {
    }

    /** The keys a queue may set for itself with {@code queue.NAME.KEY}. */
    public static final List<ConfigKey> PER_QUEUE_KEYS = List.of(ConfigKey.MAX_DELIVERIES, ConfigKey.DEAD_LETTER_QUEUE,
            ConfigKey.REDELIVERY_DELAY_MS, ConfigKey.REDELIVERY_BACKOFF, ConfigKey.REDELIVERY_MAX_DELAY_MS);

    private final Map<ConfigKey, Value> values = new EnumMap<>(ConfigKey.class);
    private final Map<String, Map<ConfigKey, Value>> queueValues = new TreeMap<>();

    private ConfigLoader() {
    }

    /**
     * @param flags  values from the command line, by key ({@code port}, {@code data-dir}); may be empty
     * @param file   the properties file, or null for none
     * @param system the system properties
     * @param env    the environment
     * @throws ConfigException naming the bad key, its value and where it came from
     */
    public static BrokerConfig load(Map<String, String> flags, Path file, Properties system, Map<String, String> env) {
        ConfigLoader loader = new ConfigLoader();
        if (file != null) {
            loader.readFile(file);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String fromEnv = env.get(key.environmentVariable());
            if (fromEnv != null) {
                loader.values.put(key, new Value(fromEnv, "environment variable " + key.environmentVariable()));
            }
        }
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("tern.")) {
                loader.put(name.substring("tern.".length()), system.getProperty(name), "system property " + name);
            }
        }
        flags.forEach((k, v) -> loader.put(k, v, "command line --" + k));
        return loader.build(BrokerConfig.builder());
    }

    /**
     * Applies options given as a map (e.g. a {@code vm://} URI's {@code broker.*} parameters) on top of
     * {@code base}; keys may be in the file's spelling or in camel case.
     */
    private static void apply(ConfigKey key, Value v, BrokerConfig.Builder builder, String name) {
        try {
            key.apply(builder, v.value());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + "=" + v.value() + " (from " + v.source() + ") " + e.getMessage());
        }
    }

    public static BrokerConfig fromOptions(Map<String, String> options, String source, BrokerConfig.Builder base) {
        ConfigLoader loader = new ConfigLoader();
        options.forEach((k, v) -> loader.put(k, v, source));
        return loader.build(base);
    }

    private void readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        for (String name : properties.stringPropertyNames()) {
            put(name, properties.getProperty(name), "config file " + file);
        }
    }

    private void put(String name, String value, String source) {
        if (name.startsWith("queue.")) {
            putForQueue(name, value, source);
            return;
        }
        ConfigKey key = ConfigKey.named(name).orElseThrow(() -> new ConfigException("unknown key '" + name
                + "' (from " + source + "); known keys: " + ConfigKey.known()));
        values.put(key, new Value(value, source));
    }

    private void putForQueue(String name, String value, String source) {
        for (ConfigKey key : PER_QUEUE_KEYS) {
            String suffix = "." + key.key();
            if (name.endsWith(suffix) && name.length() > "queue.".length() + suffix.length()) {
                String queue = name.substring("queue.".length(), name.length() - suffix.length());
                queueValues.computeIfAbsent(queue, q -> new EnumMap<>(ConfigKey.class))
                        .put(key, new Value(value, source));
                return;
            }
        }
        throw new ConfigException("unknown key '" + name + "' (from " + source + "); a queue's own keys are"
                + " queue.NAME." + String.join(", queue.NAME.", PER_QUEUE_KEYS.stream().map(ConfigKey::key).toList()));
    }

    private BrokerConfig build(BrokerConfig.Builder builder) {
        values.forEach((key, v) -> apply(key, v, builder, key.key()));
        if (!queueValues.isEmpty()) {
            Map<String, RedeliveryPolicy> policies = new LinkedHashMap<>();
            queueValues.forEach((queue, keys) -> {
                // a scratch builder starting from the broker-wide policy takes the queue's own values
                BrokerConfig.Builder scratch = BrokerConfig.builder().redelivery(builder.redelivery());
                keys.forEach((key, v) -> apply(key, v, scratch, "queue." + queue + "." + key.key()));
                policies.put(queue, scratch.redelivery());
            });
            builder.queuePolicies(policies);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage());
        }
    }
}
