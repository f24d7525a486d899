package io.tern.broker.connection;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The JMS client ids of live connections: each id belongs to at most one connection. */
public final class ClientIds {
    private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();

    /** Claims {@code clientId} for {@code connectionId}; false when another connection holds it. */
    public boolean claim(String clientId, String connectionId) {
        return owners.putIfAbsent(clientId, connectionId) == null;
    }

    /** Releases {@code clientId} if {@code connectionId} holds it. */
    public void release(String clientId, String connectionId) {
        if (clientId != null) {
            owners.remove(clientId, connectionId);
        }
    }
}
