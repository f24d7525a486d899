package io.tern.jms.provider;

import java.util.Map;

/**
 * Starts an in-JVM broker for {@code vm://NAME} when none is running. The broker module implements it and
 * registers it with {@link java.util.ServiceLoader}, so the client never imports the broker.
 */
public interface VmBrokerLauncher {
    /**
     * Starts a broker reachable at {@link VmAddress#of(String) VmAddress.of(name)} unless one is already running
     * there. Must be safe to call from many threads at once.
     *
     * @param name    the name in {@code vm://NAME}
     * @param options the URI's query parameters that concern the broker (those prefixed {@code broker.}, prefix
     *                removed)
     */
    void ensureStarted(String name, Map<String, String> options) throws Exception;
}
