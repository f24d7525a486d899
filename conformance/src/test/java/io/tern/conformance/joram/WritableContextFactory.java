package io.tern.conformance.joram;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.spi.InitialContextFactory;

/**
 * The harness's {@code java.naming.factory.initial}: every {@code new InitialContext(env)} naming this class sees the
 * one JVM-wide namespace that {@link TernAdmin} writes to. The factory itself is instantiated by JNDI for each
 * InitialContext, hence the static namespace.
 */
public final class WritableContextFactory implements InitialContextFactory {
    private static final Map<String, Object> NAMESPACE = new ConcurrentHashMap<>();

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return new WritableContext(NAMESPACE, environment);
    }
}
