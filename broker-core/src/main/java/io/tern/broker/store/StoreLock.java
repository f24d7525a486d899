package io.tern.broker.store;

import java.util.function.Consumer;

/**
 * What decides which of several brokers sharing one store is active: the journal's lock file, the JDBC store's
 * lease row. A broker {@link #tryAcquire() acquires} it before it opens the store; while another broker holds it,
 * the broker waits as a standby and tries again every {@code ha.poll-ms}.
 *
 * <p>A lock that can be lost while held (a lease that could not be renewed in time) calls the handler given to
 * {@link #onLost} once, on its own thread, before any other broker can acquire it; from then on
 * {@link #isHeld()} is false and the store refuses writes. The broker stops serving at once.
 *
 * <p>{@link #close()} releases the lock so that a standby takes over at once.
 */
public interface StoreLock extends AutoCloseable {
    /** The lock of a store that cannot be shared (the memory store): always free, always held, never lost. */
    StoreLock NONE = new StoreLock() {
        @Override
        public boolean tryAcquire() {
            return true;
        }

        @Override
        public boolean isHeld() {
            return true;
        }

        @Override
        public String holder() {
            return "nobody";
        }

        @Override
        public void close() {
        }
    };

    /**
     * Tries once to take the lock; does not wait.
     *
     * @return true when this broker now holds it, false when another holds it ({@link #holder()} says who)
     * @throws RuntimeException when the lock cannot be reached at all (the message says why); a standby logs it
     *                          and tries again
     */
    boolean tryAcquire();

    /** Whether this broker holds the lock now: false before it is acquired, after it is lost and after close. */
    boolean isHeld();

    /** Who holds the lock, as it names its holder (broker name, host, pid), for the standby's log line. */
    String holder();

    /** Registers what to do when the lock is lost while held; the argument says why. Called at most once. */
    default void onLost(Consumer<String> handler) {
    }

    /** Releases the lock if held and frees what it uses. */
    @Override
    void close();
}
