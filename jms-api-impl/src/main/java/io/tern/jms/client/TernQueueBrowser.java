package io.tern.jms.client;

import io.tern.jms.destination.TernQueue;
import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.TernMessage;
import io.tern.jms.wire.Frame;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue browser. Each {@link #getEnumeration()} opens a browse on the broker (CONSUMER_OPEN with the BROWSER flag):
 * the broker sends copies of the queue's waiting messages that match the selector, in dispatch order and against
 * credit, then BROWSE_END. Nothing is consumed or acknowledged. Browsing does not need the connection started: it
 * delivers no message to a consumer.
 */
public final class TernQueueBrowser implements QueueBrowser {
    private final TernSession session;
    private final TernQueue queue;
    private final String selector;
    private final List<Browse> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    TernQueueBrowser(TernSession session, TernQueue queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the browser on " + queue + " is closed");
        }
        session.checkOpen();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        TernConnection connection = session.connection();
        int prefetch = Math.max(1, connection.options().prefetch());
        Browse browse = new Browse(connection.nextConsumerId(), prefetch);
        open.add(browse);
        connection.registerBrowse(browse);
        try {
            connection.request(corr -> new Frame.ConsumerOpen(corr, browse.id, session.id(), queue.toWire(), selector,
                    Frame.ConsumerOpen.BROWSER, null, prefetch), "opening a browser on " + queue);
        } catch (JMSException e) {
            open.remove(browse);
            connection.unregisterBrowse(browse);
            throw e;
        }
        return browse;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        for (Browse b : open) {
            b.finish(true);
        }
        open.clear();
    }

    /** The session is closing: the broker drops its browses with the session. */
    void closedBySession() {
        closed = true;
        for (Browse b : open) {
            b.finish(false);
        }
        open.clear();
    }

    @Override
    public String toString() {
        return "TernQueueBrowser[" + queue + (selector == null ? "" : ", selector=" + selector) + "]";
    }

    /** One enumeration: the copies the broker sent, until BROWSE_END. Filled on a transport thread. */
    final class Browse implements Enumeration<Message> {
        private final long id;
        private final int creditBatch;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Frame.Deliver> buffer = new ArrayDeque<>();
        private int takenSinceCredit;
        private boolean ended;
        private boolean finished;
        private String interruptedBy;

        private Browse(long id, int prefetch) {
            this.id = id;
            this.creditBatch = Math.max(1, prefetch / 2);
        }

        long id() {
            return id;
        }

        void enqueue(Frame.Deliver d) {
            lock.lock();
            try {
                if (!finished) {
                    buffer.addLast(d);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        void ended() {
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Failover: a browse is a snapshot of one broker's queue; it cannot go on on another. */
        void interrupted(String from) {
            lock.lock();
            try {
                if (!ended && !finished) {
                    interruptedBy = from;
                    buffer.clear();
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        void wakeUp() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits for the next copy or the end of the browse. Returns false at the end, after close, or when the
         * connection is lost.
         */
        @Override
        public boolean hasMoreElements() {
            lock.lock();
            try {
                if (interruptedBy != null) {
                    throw new JMSRuntimeException("the browse of " + queue + " was interrupted: the connection to "
                            + interruptedBy + " failed over to another broker; call getEnumeration() again",
                            "CONNECTION_LOST");
                }
                while (buffer.isEmpty() && !ended && !finished && !closed) {
                    if (session.connection().isClosed() || !session.connection().isAlive()) {
                        return false;
                    }
                    changed.await(1, TimeUnit.SECONDS);
                    if (interruptedBy != null) {
                        throw new JMSRuntimeException("the browse of " + queue + " was interrupted: the connection to "
                                + interruptedBy + " failed over to another broker; call getEnumeration() again",
                                "CONNECTION_LOST");
                    }
                }
                if (!buffer.isEmpty()) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
            finish(true);
            return false;
        }

        @Override
        public Message nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException("the browse of " + queue + " has no more messages");
            }
            Frame.Deliver d;
            int grant = 0;
            lock.lock();
            try {
                d = buffer.pollFirst();
                if (++takenSinceCredit >= creditBatch) {
                    grant = takenSinceCredit;
                    takenSinceCredit = 0;
                }
            } finally {
                lock.unlock();
            }
            try {
                if (grant > 0 && !ended) {
                    session.connection().provider().send(new Frame.Credit(id, grant));
                }
                TernMessage m = MessageCodec.decode(d.envelope());
                m.setDeliveryCount(d.deliveryCount());
                return m;
            } catch (JMSException e) {
                throw new JMSRuntimeException("cannot read a browsed message of " + queue + ": " + e.getMessage(),
                        e.getErrorCode(), e);
            }
        }

        /** Stops the browse; with {@code tellBroker}, the broker forgets it (CONSUMER_CLOSE, no answer wanted). */
        void finish(boolean tellBroker) {
            lock.lock();
            try {
                if (finished) {
                    return;
                }
                finished = true;
                buffer.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            open.remove(this);
            TernConnection connection = session.connection();
            connection.unregisterBrowse(this);
            if (tellBroker && !connection.isClosed() && connection.isAlive()) {
                try {
                    connection.provider().send(new Frame.ConsumerClose(0, id, new long[0]));
                } catch (JMSException e) {
                    // the connection is going away; the broker forgets the browse with it
                }
            }
        }
    }
}
