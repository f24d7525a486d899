package io.tern.broker.destination;

/** One consumer's link to a destination. */
public interface Subscription {

    /** The consumer may be sent {@code credit} more messages. */
    void addCredit(int credit);

    /**
     * The consumer takes nothing more until it is granted credit again (its credit drops to zero); when this returns
     * no delivery to it is in progress.
     */
    void pause();

    /** Tries to dispatch again, e.g. when the consumer's connection became writable. */
    void resume();

    /** Stops dispatching to the consumer; when this returns no delivery to it is in progress or will start. */
    void close();
}
