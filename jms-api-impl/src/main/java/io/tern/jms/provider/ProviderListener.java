package io.tern.jms.provider;

import io.tern.jms.wire.Frame;
import jakarta.jms.JMSException;

/** What a {@link Provider} tells the connection above it. Called on a transport thread: never block. */
public interface ProviderListener {
    /** A message for one of the connection's consumers. */
    void onDeliver(Frame.Deliver deliver);

    /** A browser has been sent every message of its snapshot of the queue. */
    void onBrowseEnd(Frame.BrowseEnd end);

    /** The connection to the broker is gone (not called after {@link Provider#close()}). */
    void onFailure(JMSException cause);
}
