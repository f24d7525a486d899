package io.tern.broker.endtoend;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A MessageListener that holds the message it gets until the test releases it: for the rules about what waits for
 * a running listener (consumer close, connection stop).
 */
final class BlockingListener implements MessageListener {
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A JMS call to run on another thread. */
    @FunctionalInterface
    interface JmsCall {
        void run() throws JMSException;
    }

    @Override
    public void onMessage(Message message) {
        inside.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once onMessage is running (waits at most 5 s). */
    boolean awaitInside() throws InterruptedException {
        return inside.await(5, TimeUnit.SECONDS);
    }

    /** Lets onMessage return. */
    void release() {
        release.countDown();
    }

    /** Runs {@code call} on another thread; the future completes when it returns. */
    static CompletableFuture<Void> onAnotherThread(JmsCall call) {
        return CompletableFuture.runAsync(() -> {
            try {
                call.run();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
