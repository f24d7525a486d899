package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the same work on N connections, one thread each, and times it: every connection is opened first, then one
 * gate lets all threads go at once, and the clock stops when the last one finishes. After a failure the connections
 * are closed so that the other threads stop too, and the first failure is thrown.
 */
final class Parallel {
    private Parallel() {
    }

    /** One thread's work on its own connection; {@code index} counts from 0. */
    @FunctionalInterface
    interface Work {
        void run(Connection connection, int index) throws Exception;
    }

    /** When the gate opened and when the last thread finished, from {@link System#nanoTime()}. */
    record Timing(long startNanos, long endNanos) {
        double seconds() {
            return Math.max(1, endNanos - startNanos) / 1e9;
        }
    }

    static Timing run(ConnectionFactory factory, int threads, Work work) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                connections.add(factory.createConnection());
            }
            CountDownLatch gate = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Connection connection = connections.get(i);
                int index = i;
                Thread thread = new Thread(() -> {
                    try {
                        gate.await();
                        work.run(connection, index);
                    } catch (Exception | AssertionError e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-parallel-" + i);
                thread.setDaemon(true);
                thread.start();
                running.add(thread);
            }
            long start = System.nanoTime();
            gate.countDown();
            boolean closed = false;
            for (Thread thread : running) {
                while (thread.isAlive()) {
                    thread.join(100);
                    if (failure.get() != null && !closed) {
                        // Frees the other threads from a receive or a send the broker holds back.
                        close(connections);
                        closed = true;
                    }
                }
            }
            long end = System.nanoTime();
            if (failure.get() instanceof Exception e) {
                throw e;
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a worker failed", failure.get());
            }
            return new Timing(start, end);
        } finally {
            close(connections);
        }
    }

    private static void close(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (JMSException e) {
                System.err.println("bench driver: closing a connection failed: " + e);
            }
        }
    }
}
