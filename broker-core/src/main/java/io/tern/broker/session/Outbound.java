package io.tern.broker.session;

import io.tern.jms.wire.Frame;
import java.util.function.LongFunction;

/** The write side of a client connection, as sessions and consumers see it. Implementations never block. */
public interface Outbound {

    /** True while the connection is open and its outbound buffer has room. */
    boolean isWritable();

    /**
     * Assigns the next delivery id of the connection and writes the frame {@code deliver} builds for it. Ids are
     * unique and increasing, and frames leave in id order.
     */
    void deliver(LongFunction<Frame.Deliver> deliver);

    /**
     * As {@link #deliver(LongFunction)}; with {@code straight} a thread other than the connection's event loop may
     * write the frame to the socket itself when nothing else waits to be written (a queue's delivery, which goes to
     * one consumer), sparing the loop a wake-up.
     */
    default void deliver(LongFunction<Frame.Deliver> deliver, boolean straight) {
        deliver(deliver);
    }

    /** Writes a frame that carries no delivery id (BROWSE_END), after every frame written before it. */
    void send(Frame frame);
}
