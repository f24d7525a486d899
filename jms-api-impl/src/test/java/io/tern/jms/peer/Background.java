package io.tern.jms.peer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a blocking client call (createConnection, a synchronous send, receive) on its own daemon thread, so that the
 * test thread can play the broker meanwhile. The future fails with whatever the call threw.
 */
public final class Background {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** A client call that may throw a checked exception. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    /** A client call without a result. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private Background() {
    }

    public static <T> CompletableFuture<T> call(Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "test-client-" + COUNTER.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return result;
    }

    public static CompletableFuture<Void> run(Action action) {
        return call(() -> {
            action.run();
            return null;
        });
    }
}
