package io.tern.jms.client;

import io.tern.jms.wire.Frame;
import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Runs a session's CompletionListener callbacks in send order, one at a time, on a thread of the connection's pool
 * (never on an I/O thread), and knows which thread is running one, so that the session can refuse the calls the
 * spec forbids a callback to make.
 */
final class CompletionOrder {
    private final Executor threads;
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private volatile Thread running;

    CompletionOrder(Executor threads) {
        this.threads = threads;
    }

    /** Calls {@code listener} for {@code message} once {@code sent} is answered and every earlier callback ran. */
    synchronized void after(CompletableFuture<Frame> sent, Message message, CompletionListener listener) {
        CompletableFuture<Throwable> outcome = sent.handle((r, e) -> e == null ? null : unwrap(e));
        last = last.<Throwable, Void>thenCombineAsync(outcome, (previous, failure) -> {
            running = Thread.currentThread();
            try {
                if (failure == null) {
                    listener.onCompletion(message);
                } else {
                    listener.onException(message, failure instanceof Exception ex ? ex
                            : new JMSException(String.valueOf(failure)));
                }
            } finally {
                running = null;
            }
            return null;
        }, threads).exceptionally(e -> null);
    }

    /** True on the thread running one of the callbacks. */
    boolean isCallbackThread() {
        return running == Thread.currentThread();
    }

    /** Waits until every send so far is answered and its callback has returned. */
    void await() {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = last;
        }
        pending.join();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
