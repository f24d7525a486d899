package io.tern.jms.provider;

import io.tern.jms.wire.Frame;
import jakarta.jms.JMSException;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * The narrow, asynchronous interface the JMS objects sit on: one connection to one broker. The JMS classes pass
 * frames down and get deliveries and failures back through {@link ProviderListener}; they know nothing of the
 * transport underneath.
 */
public interface Provider extends AutoCloseable {

    /** Opens the transport and performs the handshake; blocks until the broker has answered. */
    Frame.HelloOk connect(Frame.Hello hello) throws JMSException;

    /**
     * Sends a request and returns its answer. The provider picks the correlation id and passes it to {@code frame}.
     * The future completes with {@link Frame.Ok} (or another answer frame), or exceptionally with the
     * {@link JMSException} an {@link Frame.Error} maps to, or when the connection is lost.
     */
    CompletableFuture<Frame> request(IntFunction<Frame> frame);

    /** Sends a frame that wants no answer. */
    void send(Frame frame) throws JMSException;

    void setListener(ProviderListener listener);

    /** True while the transport is open and has not failed. */
    boolean isConnected();

    /** Where the provider connects, for messages: {@code tcp://host:port} or {@code vm://name}. */
    String remoteAddress();

    /** Closes the transport; outstanding requests fail. Idempotent. */
    @Override
    void close();
}
