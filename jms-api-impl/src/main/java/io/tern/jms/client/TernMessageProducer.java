package io.tern.jms.client;

import io.tern.jms.destination.TernDestination;
import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.TernMessage;
import io.tern.jms.wire.Frame;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A producer. It stamps the message headers, encodes the message once, and sends it: synchronously (waiting until
 * the broker has the message durable or accepted) for persistent messages and in transactions, asynchronously
 * within the connection's send window for non-persistent messages when the URI says {@code asyncSend=true}, and
 * with a {@link CompletionListener} when the application asks.
 */
public final class TernMessageProducer implements QueueSender, TopicPublisher {
    private final TernSession session;
    private final TernDestination destination;
    private volatile boolean closed;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;

    TernMessageProducer(TernSession session, TernDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        session.checkOpen();
    }

    void closed() {
        closed = true;
    }

    @Override
    public void close() throws JMSException {
        session.checkNotInCompletionListener("close its own producer");
        closed = true;
        session.awaitCompletions();
        session.producerClosed(this);
    }

    // --- send ------------------------------------------------------------------------------------------------

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl) throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination; use send(destination, message)");
        }
        doSend(destination, message, mode, prio, ttl, null);
    }

    @Override
    public void send(Destination dest, Message message) throws JMSException {
        send(dest, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination dest, Message message, int mode, int prio, long ttl) throws JMSException {
        checkOpen();
        doSend(explicitDestination(dest), message, mode, prio, ttl, null);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        send(message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Message message, int mode, int prio, long ttl, CompletionListener completionListener)
            throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination; use send(destination, message)");
        }
        doSend(destination, message, mode, prio, ttl, requireListener(completionListener));
    }

    @Override
    public void send(Destination dest, Message message, CompletionListener completionListener) throws JMSException {
        send(dest, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination dest, Message message, int mode, int prio, long ttl,
                     CompletionListener completionListener) throws JMSException {
        checkOpen();
        doSend(explicitDestination(dest), message, mode, prio, ttl, requireListener(completionListener));
    }

    private static CompletionListener requireListener(CompletionListener l) {
        if (l == null) {
            throw new IllegalArgumentException("the CompletionListener is null");
        }
        return l;
    }

    private TernDestination explicitDestination(Destination dest) throws JMSException {
        if (destination != null) {
            throw new UnsupportedOperationException("this producer was created for " + destination
                    + "; it cannot send to another destination");
        }
        return TernSession.ternDestination(dest);
    }

    private void doSend(TernDestination dest, Message message, int mode, int prio, long ttl,
                        CompletionListener completionListener) throws JMSException {
        send(dest, message, new SendOptions(mode, prio, ttl, deliveryDelay, disableMessageID, disableMessageTimestamp),
                completionListener);
    }

    /** Per-send settings: the producer's own, or a {@code JMSProducer}'s. */
    public record SendOptions(int deliveryMode, int priority, long timeToLive, long deliveryDelay, boolean disableMessageID,
                       boolean disableMessageTimestamp) {
    }

    /** Stamps the headers, encodes once and sends, as the class comment says. */
    void send(TernDestination dest, Message message, SendOptions o, CompletionListener completionListener)
            throws JMSException {
        int mode = o.deliveryMode();
        int prio = o.priority();
        long ttl = o.timeToLive();
        if (message == null) {
            throw new jakarta.jms.MessageFormatException("the message is null");
        }
        checkDeliveryMode(mode);
        checkPriority(prio);
        long now = System.currentTimeMillis();
        message.setJMSDestination(dest);
        message.setJMSDeliveryMode(mode);
        message.setJMSPriority(prio);
        message.setJMSTimestamp(o.disableMessageTimestamp() ? 0 : now);
        message.setJMSExpiration(ttl > 0 ? now + ttl : 0);
        message.setJMSDeliveryTime(now + o.deliveryDelay());
        message.setJMSMessageID(o.disableMessageID() ? null : session.connection().nextMessageId());
        TernMessage tern = message instanceof TernMessage t ? t : MessageCodec.copyOf(message);
        byte[] envelope = MessageCodec.encode(tern);
        TernConnection connection = session.connection();
        connection.checkSendable(envelope, dest);
        int sessionId = session.id();
        if (completionListener != null) {
            session.afterSend(connection.sendInWindow(sessionId, envelope), message, completionListener);
        } else if (session.isTransacted()) {
            // nothing is visible before commit, so the send need not wait: commit waits for every answer
            session.transactedSend(connection.sendInWindow(sessionId, envelope), dest);
        } else if (mode == DeliveryMode.NON_PERSISTENT && connection.options().asyncSend()) {
            connection.sendInWindow(sessionId, envelope).whenComplete((r, e) -> {
                if (e != null) {
                    connection.reportAsyncFailure(JmsExceptions.wrap("an asynchronous send to " + dest + " failed: "
                            + e.getMessage(), e));
                }
            });
        } else {
            JmsExceptions.await(connection.provider().request(corr -> new Frame.Send(corr, sessionId, envelope)),
                    connection.options().sendTimeout(), "sending to " + dest);
        }
    }

    static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + mode + " is neither PERSISTENT (2) nor NON_PERSISTENT (1)");
        }
    }

    static void checkPriority(int prio) throws JMSException {
        if (prio < 0 || prio > 9) {
            throw new JMSException("priority " + prio + " is outside 0..9");
        }
    }

    // --- topic and queue variants ----------------------------------------------------------------------------

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int mode, int prio, long ttl) throws JMSException {
        send(message, mode, prio, ttl);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int mode, int prio, long ttl) throws JMSException {
        send(topic, message, mode, prio, ttl);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int mode, int prio, long ttl) throws JMSException {
        send((Destination) queue, message, mode, prio, ttl);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) destination;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return (Topic) destination;
    }

    // --- settings --------------------------------------------------------------------------------------------

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageID = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageID;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableMessageTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableMessageTimestamp;
    }

    @Override
    public void setDeliveryMode(int mode) throws JMSException {
        checkOpen();
        checkDeliveryMode(mode);
        deliveryMode = mode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int prio) throws JMSException {
        checkOpen();
        checkPriority(prio);
        priority = prio;
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long ttl) throws JMSException {
        checkOpen();
        timeToLive = ttl;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long delay) throws JMSException {
        checkOpen();
        deliveryDelay = delay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public String toString() {
        return "TernMessageProducer[" + (destination == null ? "anonymous" : destination) + "]";
    }
}
