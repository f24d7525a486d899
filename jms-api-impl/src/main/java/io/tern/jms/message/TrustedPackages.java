package io.tern.jms.message;

import java.io.ObjectInputFilter;
import java.util.Arrays;
import java.util.List;

/**
 * The classes an {@link jakarta.jms.ObjectMessage} may deserialize: those in a list of trusted package prefixes, read
 * from the system property {@value #PROPERTY} (a comma list; {@code *} trusts every class) each time a body is
 * deserialized, defaulting to {@value #DEFAULT}. A prefix trusts the package of that name, its sub-packages, and a
 * class of exactly that name. Arrays are judged by their component class; primitives are always allowed.
 *
 * <p>Deserializing untrusted bytes can run code in classes on the classpath; this list is the guard, like ActiveMQ's
 * trusted packages.
 */
final class TrustedPackages implements ObjectInputFilter {
    /** The system property holding the trusted package prefixes. */
    static final String PROPERTY = "tern.jms.objectmessage.trustedPackages";
    /** The prefixes trusted when the property is not set. */
    static final String DEFAULT = "java.lang,java.util,java.math,java.time,java.net,io.tern";

    private final List<String> prefixes;
    private final boolean trustAll;
    private String refused;

    private TrustedPackages(List<String> prefixes) {
        this.prefixes = prefixes;
        this.trustAll = prefixes.contains("*");
    }

    /** The list as the system property says now. */
    static TrustedPackages fromSystemProperty() {
        String value = System.getProperty(PROPERTY, DEFAULT);
        return new TrustedPackages(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList());
    }

    boolean isTrusted(String className) {
        if (trustAll) {
            return true;
        }
        for (String prefix : prefixes) {
            if (className.equals(prefix) || className.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        Class<?> c = info.serialClass();
        if (c == null) {
            return Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive() || isTrusted(c.getName())) {
            return Status.ALLOWED;
        }
        refused = c.getName();
        return Status.REJECTED;
    }

    /** The class this filter last refused, or null. */
    String refused() {
        return refused;
    }

    /** The message for a refused class, naming it and the property to set. */
    String refusal(String className) {
        return "class " + className + " is not trusted for ObjectMessage deserialization; to trust it, add its"
                + " package to the system property " + PROPERTY + " (now: " + String.join(",", prefixes) + ")";
    }
}
