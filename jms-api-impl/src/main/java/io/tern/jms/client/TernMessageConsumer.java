package io.tern.jms.client;

import io.tern.jms.destination.TernDestination;
import io.tern.jms.message.TernMessage;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer: a buffer of prefetched deliveries filled by the transport thread and emptied by receive() or by the
 * session's listener thread. It grants the broker more credit as the application consumes, in batches of half
 * the prefetch.
 */
public final class TernMessageConsumer implements QueueReceiver, TopicSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(TernMessageConsumer.class);

    private final TernSession session;
    private final long id;
    private final TernDestination destination;
    private final String selector;
    private final boolean noLocal;
    private final int prefetch;
    private final int flags;
    private final String subscriptionName;
    private final int creditBatch;
    /** A plain (non-durable, unshared) topic subscriber: its subscription ends with it (see {@link #acksLazily}). */
    private final boolean plainSubscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Frame.Deliver> buffer = new ArrayDeque<>();
    private int consumedSinceCredit;
    private volatile MessageListener listener;
    private volatile boolean closed;

    TernMessageConsumer(TernSession session, long id, TernDestination destination, String selector,
                        boolean noLocal, int prefetch, int flags, String subscriptionName) {
        this.flags = flags;
        this.subscriptionName = subscriptionName;
        this.session = session;
        this.id = id;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
        this.prefetch = prefetch;
        this.creditBatch = Math.max(1, prefetch / 2);
        this.plainSubscriber = destination instanceof Topic
                && (flags & (Frame.ConsumerOpen.DURABLE | Frame.ConsumerOpen.SHARED)) == 0;
    }

    long id() {
        return id;
    }

    int prefetch() {
        return prefetch;
    }

    /** The durable or shared subscription this consumer reads, or null for a plain consumer. */
    String subscriptionName() {
        return subscriptionName;
    }

    boolean isDurable() {
        return (flags & Frame.ConsumerOpen.DURABLE) != 0;
    }

    TernDestination destination() {
        return destination;
    }

    /**
     * True when its session may hold back the AUTO_ACKNOWLEDGE acknowledgements of its non-persistent messages:
     * a plain topic subscriber, whose subscription, and every message in it, ends with it, so no message whose
     * acknowledgement was held can be delivered twice.
     */
    boolean acksLazily() {
        return plainSubscriber;
    }

    /** From the transport thread: a delivery arrived. */
    void enqueue(Frame.Deliver deliver) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            buffer.addLast(deliver);
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (listener != null) {
            session.scheduleListenerDelivery();
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

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkOpen();
    }

    // --- synchronous receive ----------------------------------------------------------------------------------

    @Override
    public Message receive() throws JMSException {
        return receive(0);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        checkReceive();
        long deadline = timeout <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        return next(deadline);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkReceive();
        return next(0);
    }

    /**
     * Waits until a message is ready to be received, without taking it: true when {@link #receiveNoWait()} would
     * now return one (unless it expires first), false after {@code timeoutMillis}, when the consumer closes or the
     * connection is lost. A resource adapter uses it to begin a transaction only when there is a message to
     * deliver in it, rather than running empty transactions while the destination is idle.
     */
    public boolean awaitMessage(long timeoutMillis) throws JMSException {
        checkReceive();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        lock.lock();
        try {
            while (true) {
                if (closed || session.connection().isClosed()) {
                    return false;
                }
                if (session.connection().isStarted() && !buffer.isEmpty()) {
                    return true;
                }
                try {
                    session.connection().checkOpen();
                } catch (IllegalStateException lost) {
                    return false;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    return false;
                }
                try {
                    changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkReceive() throws JMSException {
        checkOpen();
        if (session.hasListener()) {
            throw new IllegalStateException("a consumer of this session has a MessageListener; the session delivers"
                    + " asynchronously, so receive() may not be used in it");
        }
    }

    /** The next unexpired message, waiting until {@code deadline} (System.nanoTime); null on timeout or close. */
    private Message next(long deadline) throws JMSException {
        while (true) {
            Frame.Deliver d = take(deadline);
            if (d == null) {
                return null;
            }
            TernMessage m = session.toMessage(d);
            consumed();
            session.delivered(this, d.deliveryId(), m);
            if (!isExpired(m)) {
                return m;
            }
        }
    }

    /**
     * The simplified API's receiveBody: the next message's body as {@code type}, waiting as {@link #next} does.
     * A body that cannot be assigned to {@code type} raises MessageFormatException; in AUTO and DUPS_OK modes the
     * message is then given back to be delivered again, in the others it counts as delivered.
     */
    <T> T receiveBody(Class<T> type, long timeoutMillis, boolean noWait) throws JMSException {
        checkReceive();
        long deadline = noWait ? 0
                : timeoutMillis <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Frame.Deliver d = take(deadline);
            if (d == null) {
                return null;
            }
            TernMessage m = session.toMessage(d);
            consumed();
            if (isExpired(m)) {
                session.delivered(this, d.deliveryId(), m);
                continue;
            }
            if (!m.isBodyAssignableTo(type)) {
                session.listenerFailed(this, d.deliveryId());
                throw new jakarta.jms.MessageFormatException("the body of message " + m.getJMSMessageID() + " ("
                        + m.getClass().getSimpleName() + ") cannot be assigned to " + type.getName());
            }
            session.delivered(this, d.deliveryId(), m);
            return m.getBody(type);
        }
    }

    /**
     * The next buffered delivery, waiting until {@code deadline} (0: not at all). Before it waits, or returns
     * empty-handed, it sends the acknowledgements its session holds back: the application has caught up, so they
     * would otherwise wait for the next message.
     */
    private Frame.Deliver take(long deadline) throws JMSException {
        lock.lock();
        try {
            while (true) {
                if (closed || session.connection().isClosed()) {
                    return null;
                }
                if (session.connection().isStarted() && !buffer.isEmpty()) {
                    return buffer.pollFirst();
                }
                try {
                    session.connection().checkOpen();
                } catch (IllegalStateException lost) {
                    return null;
                }
                if (session.holdsAcks()) {
                    lock.unlock();
                    try {
                        session.flushHeldAcks();
                    } catch (JMSException lost) {
                        // the connection is gone (the next turn returns null); its subscription went with it
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                long wait = deadline - System.nanoTime();
                if (deadline == 0 || wait <= 0) {
                    return null;
                }
                try {
                    changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean isExpired(TernMessage m) throws JMSException {
        long expiration = m.getJMSExpiration();
        return expiration != 0 && expiration <= System.currentTimeMillis();
    }

    /** One more message taken from the buffer; grants credit in batches. */
    private void consumed() throws JMSException {
        int grant = 0;
        lock.lock();
        try {
            if (++consumedSinceCredit >= creditBatch) {
                grant = consumedSinceCredit;
                consumedSinceCredit = 0;
            }
        } finally {
            lock.unlock();
        }
        if (grant > 0 && !closed) {
            session.connection().provider().send(new Frame.Credit(id, grant));
        }
    }

    // --- listener ---------------------------------------------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        if (listener != null) {
            session.scheduleListenerDelivery();
        }
    }

    boolean hasMessageListener() {
        return listener != null && !closed;
    }

    boolean hasListenerWork() {
        if (listener == null || closed) {
            return false;
        }
        lock.lock();
        try {
            return !buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** On the session's listener thread: gives one message to the listener. Returns false when there was none. */
    boolean deliverOneToListener() {
        MessageListener l = listener;
        if (l == null || closed) {
            return false;
        }
        Frame.Deliver d;
        lock.lock();
        try {
            d = buffer.pollFirst();
        } finally {
            lock.unlock();
        }
        if (d == null) {
            return false;
        }
        try {
            TernMessage m = session.toMessage(d);
            consumed();
            if (isExpired(m)) {
                session.delivered(this, d.deliveryId(), m);
                return true;
            }
            try {
                l.onMessage(m);
            } catch (RuntimeException e) {
                LOG.warn("TERN-C0004 MessageListener of consumer {} on {} threw {}; the message will be redelivered",
                        id, destination, e.toString());
                session.listenerFailed(this, d.deliveryId());
                return true;
            }
            session.delivered(this, d.deliveryId(), m);
        } catch (JMSException e) {
            session.connection().reportAsyncFailure(e);
        }
        return true;
    }

    // --- return and close -------------------------------------------------------------------------------------

    /**
     * After the broker took back every delivery of the session ({@link AckKind#RETURN_ALL}): what is buffered is
     * among them, so it is dropped, and the consumer grants its full prefetch again (the broker set its credit to
     * zero), so that the messages come again in their order.
     */
    void restartAfterReturn() throws JMSException {
        forgetBuffered();
        if (!closed) {
            session.connection().provider().send(new Frame.Credit(id, prefetch));
        }
    }

    /** Takes every buffered (prefetched, unseen) delivery out of the buffer; returns their delivery ids. */
    private long[] drainBuffer() {
        lock.lock();
        try {
            long[] ids = new long[buffer.size()];
            int i = 0;
            for (Frame.Deliver d : buffer) {
                ids[i++] = d.deliveryId();
            }
            buffer.clear();
            return ids;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Failover: the broker that delivered what is buffered is gone; the next one delivers it again (flagged
     * redelivered) once the consumer is re-created with its full prefetch.
     */
    void connectionInterrupted() {
        forgetBuffered();
    }

    /** Drops what is buffered; the credit the broker had for it is no longer counted. */
    private void forgetBuffered() {
        lock.lock();
        try {
            buffer.clear();
            consumedSinceCredit = 0;
        } finally {
            lock.unlock();
        }
    }

    /** The session is closing: stop; the broker takes back what was buffered. */
    void closedBySession() {
        closed = true;
        drainBuffer();
        wakeUp();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        if (!session.isListenerThread()) {
            session.awaitListenersIdle();
        }
        drainBuffer();
        long[] delivered = session.unsettledOf(this);
        wakeUp();
        session.consumerClosed(this);
        if (!session.connection().isClosed()) {
            try {
                session.connection().checkOpen();
            } catch (IllegalStateException lost) {
                return;
            }
            session.flushHeldAcks();
            session.connection().request(corr -> new Frame.ConsumerClose(corr, id, delivered),
                    "closing the consumer on " + destination);
        }
    }

    // --- accessors --------------------------------------------------------------------------------------------

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (destination instanceof Queue q) {
            return q;
        }
        throw new IllegalStateException("this consumer is on a topic, not a queue");
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (destination instanceof Topic t) {
            return t;
        }
        throw new IllegalStateException("this consumer is on a queue, not a topic");
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    @Override
    public String toString() {
        return "TernMessageConsumer[" + id + " on " + destination + "]";
    }
}
