package io.tern.jms.provider;

import io.tern.jms.wire.Frame;
import jakarta.jms.JMSException;

/** What a {@link Provider} tells the connection above it. Called on a transport thread: never block. */
public interface ProviderListener {
    /** A message for one of the connection's consumers. */
    void onDeliver(Frame.Deliver deliver);

    /** A browser has been sent every message of its snapshot of the queue. */
    void onBrowseEnd(Frame.BrowseEnd end);

    /**
     * The connection to the broker is gone for good (not called after {@link Provider#close()}); a failover
     * provider calls it only when it gives up reconnecting.
     */
    void onFailure(JMSException cause);

    /**
     * A failover provider lost its broker and is reconnecting: deliveries received so far will not be accepted by
     * the next broker (it sends them again), so prefetched ones should be dropped and open browses ended.
     */
    default void onConnectionInterrupted(String from, JMSException cause) {
    }

    /** A failover provider is connected again and has re-created the connection's sessions and consumers. */
    default void onConnectionRestored(String to) {
    }
}
