package io.tern.conformance.joram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JORAM tests Tern is known to fail today, each with its reason, read from {@code known-failures.properties}
 * ({@code SimpleClassName.testMethod = reason}). The one place to look for what is missing.
 */
final class KnownFailures {
    static final String RESOURCE = "known-failures.properties";

    private final Map<String, String> reasons;

    private KnownFailures(Map<String, String> reasons) {
        this.reasons = reasons;
    }

    static KnownFailures load() {
        Properties props = new Properties();
        try (InputStream in = KnownFailures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> reasons = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> reasons.put(k, props.getProperty(k).trim()));
        return new KnownFailures(reasons);
    }

    static String key(Class<?> testClass, String method) {
        return testClass.getSimpleName() + "." + method;
    }

    /** Why {@code testClass.method} is expected to fail, or empty when it is expected to pass. */
    Optional<String> reason(Class<?> testClass, String method) {
        return Optional.ofNullable(reasons.get(key(testClass, method)));
    }

    /** Entries that name no test among {@code existing} (a typo, or a test that no longer exists). */
    Set<String> unknown(Set<String> existing) {
        Set<String> unknown = new TreeSet<>(reasons.keySet());
        unknown.removeAll(existing);
        return unknown;
    }

    int size() {
        return reasons.size();
    }
}
