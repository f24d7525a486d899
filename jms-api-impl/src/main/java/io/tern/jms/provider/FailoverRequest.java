package io.tern.jms.provider;

import io.tern.jms.wire.Frame;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * A request the application made through a {@link FailoverProvider}: kept until answered, so that it can be sent
 * again, answered by a replay or failed when its connection is lost. Its fields are guarded by the provider.
 */
final class FailoverRequest {
    final long seq;
    final IntFunction<Frame> frame;
    /** The frame with correlation id 0: what the provider looks at to decide what to do with it. */
    final Frame template;
    final CompletableFuture<Frame> future = new CompletableFuture<>();
    /** The transport it was last written to; null while it waits for a connection. */
    Provider sentOn;

    FailoverRequest(long seq, IntFunction<Frame> frame) {
        this.seq = seq;
        this.frame = frame;
        this.template = frame.apply(0);
    }

    boolean isDone() {
        return future.isDone();
    }

    @Override
    public String toString() {
        return template.type() + "#" + seq;
    }
}
