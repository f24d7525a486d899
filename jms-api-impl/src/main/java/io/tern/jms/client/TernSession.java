package io.tern.jms.client;

import io.tern.jms.destination.TernDestination;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTemporaryQueue;
import io.tern.jms.destination.TernTemporaryTopic;
import io.tern.jms.destination.TernTopic;
import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.TernBytesMessage;
import io.tern.jms.message.TernMapMessage;
import io.tern.jms.message.TernMessage;
import io.tern.jms.message.TernObjectMessage;
import io.tern.jms.message.TernStreamMessage;
import io.tern.jms.message.TernTextMessage;
import io.tern.jms.selector.Selector;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionRolledBackException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A session: single-threaded by the spec. It tracks which deliveries reached the application and settles them by
 * its acknowledgement mode; message listeners of its consumers run one at a time on a thread of the connection's
 * pool, never on a transport thread.
 */
public class TernSession implements Session, QueueSession, TopicSession {
    /**
     * At most this many AUTO_ACKNOWLEDGE acknowledgements go in one frame (see {@link #delivered}). Small beside the
     * broker's producer flow limit (64 KiB by default, about 50 1 KiB messages a subscription may hold waiting or
     * unacknowledged), so that held acknowledgements do not make a subscription look behind to it.
     */
    static final int AUTO_ACK_BATCH = 16;
    /**
     * Acknowledgements are held only while the consumer takes messages less than this apart, and at most this long
     * before the next is received (see {@link PendingAcks}), so that a consumer that takes messages slowly from a
     * full prefetch buffer still acknowledges them steadily: the broker's producer flow control takes consumers that
     * acknowledged nothing for {@code producer-flow-stall-ms} (1 s by default) as stalled, and stops pacing their
     * producers.
     */
    static final long AUTO_ACK_MAX_AGE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
    /** The clock held acknowledgements are timed by, read by sessions made from then on: a test may stop it. */
    static volatile LongSupplier ackClock = System::nanoTime;

    private final TernConnection connection;
    private final int id;
    private final int mode;
    private final Domain domain;
    private final List<TernMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<TernMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final List<TernQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    /** Deliveries given to the application and not yet settled (CLIENT, DUPS_OK, TRANSACTED). */
    private final DeliveryLedger unsettled = new DeliveryLedger();
    /** AUTO_ACKNOWLEDGE acknowledgements held back to go several to a frame (see {@link #delivered}). */
    private final PendingAcks heldAcks;
    private final CompletionOrder completions;
    /** Held while a message listener runs, so that stop() and close() can wait for it. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final int dupsOkBatch;
    private volatile Thread listenerThread;
    private volatile boolean closed;

    /** Which interface the session was made as: the legacy domains forbid the other domain's methods. */
    enum Domain { GENERIC, QUEUE, TOPIC }

    TernSession(TernConnection connection, int id, int mode, Domain domain) {
        this.connection = connection;
        this.id = id;
        this.mode = mode;
        this.domain = domain;
        this.dupsOkBatch = Math.max(1, connection.options().prefetch() / 2);
        this.heldAcks = new PendingAcks(Math.min(AUTO_ACK_BATCH, connection.options().prefetch() / 2),
                AUTO_ACK_MAX_AGE_NANOS, ackClock);
        this.completions = new CompletionOrder(connection.listenerThreads());
    }

    void open() throws JMSException {
        SessionMode wire = switch (mode) {
            case Session.SESSION_TRANSACTED -> SessionMode.TRANSACTED;
            case Session.CLIENT_ACKNOWLEDGE -> SessionMode.CLIENT_ACKNOWLEDGE;
            case Session.DUPS_OK_ACKNOWLEDGE -> SessionMode.DUPS_OK_ACKNOWLEDGE;
            default -> SessionMode.AUTO_ACKNOWLEDGE;
        };
        connection.request(corr -> new Frame.SessionOpen(corr, id, wire), "opening a session");
    }

    int id() {
        return id;
    }

    TernConnection connection() {
        return connection;
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    /** A QueueSession must refuse topic methods and a TopicSession queue methods (JMS 3.1, 4.11). */
    private void checkDomain(Domain forbidden, String method) throws JMSException {
        if (domain == forbidden) {
            throw new IllegalStateException(method + " may not be called on a "
                    + (domain == Domain.QUEUE ? "QueueSession" : "TopicSession"));
        }
    }

    /** True on the thread running one of this session's CompletionListener callbacks. */
    boolean isCompletionThread() {
        return completions.isCallbackThread();
    }

    /** The spec forbids a CompletionListener to close, commit or roll back its own session: it would wait for itself. */
    void checkNotInCompletionListener(String what) throws JMSException {
        if (isCompletionThread()) {
            throw new IllegalStateException("a CompletionListener must not " + what);
        }
    }

    boolean isListenerThread() {
        return listenerThread == Thread.currentThread();
    }

    // --- messages ---------------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new TernBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new TernMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new TernMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new TernObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        TernObjectMessage m = new TernObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new TernStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new TernTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        TernTextMessage m = new TernTextMessage();
        m.setText(text);
        return m;
    }

    // --- transactions and acknowledgement ---------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return mode == Session.SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return mode;
    }

    boolean isTransacted() {
        return mode == Session.SESSION_TRANSACTED;
    }

    /** A send of the current transaction, not yet answered; commit and rollback wait for them all. */
    private record PendingSend(CompletableFuture<Frame> answer, TernDestination destination) {
    }

    private final List<PendingSend> pendingSends = new ArrayList<>();

    void transactedSend(CompletableFuture<Frame> answer, TernDestination destination) {
        synchronized (pendingSends) {
            pendingSends.add(new PendingSend(answer, destination));
        }
    }

    /** Waits for the answers to the transaction's sends; see {@link #awaitSends}. */
    private JMSException awaitTransactedSends() {
        return awaitSends(takePendingSends());
    }

    private List<PendingSend> takePendingSends() {
        synchronized (pendingSends) {
            List<PendingSend> sends = new ArrayList<>(pendingSends);
            pendingSends.clear();
            return sends;
        }
    }

    /**
     * Waits for the answers to {@code sends}. Returns the first failure (the broker refused a send, so the
     * transaction cannot commit as the application built it), or null.
     */
    private JMSException awaitSends(List<PendingSend> sends) {
        JMSException first = null;
        for (PendingSend p : sends) {
            try {
                JmsExceptions.await(p.answer(), connection.options().requestTimeout(), "sending to " + p.destination());
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        return first;
    }

    /**
     * Commits. The commit follows the transaction's sends on the wire without waiting for their answers (one round
     * trip, not two): the broker handles a connection's requests in order and rolls the transaction back at its
     * commit when it refused one of them.
     */
    @Override
    public void commit() throws JMSException {
        checkOpen();
        checkNotInCompletionListener("commit its own session");
        if (!isTransacted()) {
            throw new IllegalStateException("commit() is only for a transacted session");
        }
        List<PendingSend> sends = takePendingSends();
        sendAck(AckKind.CONSUMED, takeUnsettled());
        CompletableFuture<Frame> committed = connection.provider().request(corr -> new Frame.TxCommit(corr, id));
        JMSException failedSend = awaitSends(sends);
        try {
            JmsExceptions.await(committed, connection.options().requestTimeout(), "committing the transaction");
        } catch (JMSException notCommitted) {
            if (failedSend == null) {
                throw notCommitted;
            }
            // The broker rolled back (or lost) the transaction. Prefetched messages go back too, so the rolled-back
            // ones come first again; the explicit rollback starts a clean transaction, also after a failover.
            returnUnconsumed();
            connection.request(corr -> new Frame.TxRollback(corr, id), "rolling back the transaction");
            TransactionRolledBackException e = new TransactionRolledBackException("the transaction was rolled"
                    + " back: a send in it failed: " + failedSend.getMessage(), failedSend.getErrorCode());
            e.setLinkedException(failedSend);
            e.initCause(failedSend);
            throw e;
        }
        if (failedSend != null) {
            // a broker that commits around a refused send breaks the protocol: say so rather than hide a lost send
            throw new JMSException("the broker committed a transaction although it refused a send in it: "
                    + failedSend.getMessage(), failedSend.getErrorCode());
        }
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        checkNotInCompletionListener("roll back its own session");
        if (!isTransacted()) {
            throw new IllegalStateException("rollback() is only for a transacted session");
        }
        awaitTransactedSends();
        returnUnconsumed();
        connection.request(corr -> new Frame.TxRollback(corr, id), "rolling back the transaction");
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (isTransacted()) {
            throw new IllegalStateException("recover() is not for a transacted session; use rollback()");
        }
        returnUnconsumed();
    }

    /**
     * Gives back every prefetched delivery the application has not seen (uncounted) and every one it has seen but
     * not settled (to be redelivered), so that the broker sends them again in their original order. Returns once
     * the broker has taken them back.
     */
    private void returnUnconsumed() throws JMSException {
        flushHeldAcks();
        long[] seen = takeUnsettled();
        // The broker takes back everything it sent this session's consumers and sends them nothing more until they
        // grant credit again, so every delivery that reached them before the answer is one it took back, including
        // any still on the wire when the buffers were last looked at.
        connection.request(corr -> new Frame.Ack(corr, id, AckKind.RETURN_ALL, seen),
                "returning unacknowledged messages");
        for (TernMessageConsumer c : consumers) {
            c.restartAfterReturn();
        }
    }

    /** Acknowledges every message the session has delivered (CLIENT_ACKNOWLEDGE; Message.acknowledge()). */
    void acknowledgeAll() throws JMSException {
        checkOpen();
        long[] ids = takeUnsettled();
        if (ids.length > 0) {
            connection.request(corr -> new Frame.Ack(corr, id, AckKind.CONSUMED, ids), "acknowledging messages");
        }
    }

    /** Decodes a delivery into the message the application sees. */
    TernMessage toMessage(Frame.Deliver d) throws JMSException {
        TernMessage m = MessageCodec.decode(d.envelope());
        m.setDeliveryCount(d.deliveryCount());
        if (mode == Session.CLIENT_ACKNOWLEDGE) {
            m.setAcknowledger(this::acknowledgeAll);
        }
        return m;
    }

    /**
     * Settles a delivery the application has now received, as the session's mode says.
     *
     * <p>AUTO_ACKNOWLEDGE: the acknowledgement of a non-persistent message to a plain (non-durable, unshared) topic
     * subscriber taking messages in quick succession is held back and sent with others: {@link #AUTO_ACK_BATCH} to
     * a frame, with the next one once the oldest was held {@link #AUTO_ACK_MAX_AGE_NANOS} (see {@link PendingAcks}),
     * as soon as the consumer has nothing more to give (before {@code receive} waits, when a listener's turn ends;
     * see {@link #flushHeldAcks}), and before a close or recover. That loses nothing the application could see: such
     * a subscription ends with its consumer, so a message whose acknowledgement was held is never delivered again,
     * not even when the connection breaks (non-persistent messages are delivered at most once, JMS 3.1, 4.8); and
     * credit is granted on receipt, not on acknowledgement, so the broker's dispatch never waits for one. Every
     * other acknowledgement goes at once, carrying the held ones before it.
     */
    void delivered(TernMessageConsumer consumer, long deliveryId, TernMessage message) throws JMSException {
        if (mode == Session.AUTO_ACKNOWLEDGE && mayHoldAcks() && consumer.acksLazily()
                && message.getJMSDeliveryMode() == DeliveryMode.NON_PERSISTENT) {
            long[] batch = heldAcks.addAndTake(deliveryId);
            if (batch != null) {
                sendAck(AckKind.CONSUMED, batch);
            }
        } else {
            delivered(consumer, deliveryId);
        }
    }

    /** Settles a delivery the application has now received, as the session's mode says. */
    void delivered(TernMessageConsumer consumer, long deliveryId) throws JMSException {
        switch (mode) {
            case Session.AUTO_ACKNOWLEDGE -> sendAck(AckKind.CONSUMED, heldAcks.isEmpty() ? new long[] {deliveryId}
                    : heldAcks.takeAllWith(deliveryId));
            case Session.DUPS_OK_ACKNOWLEDGE -> {
                long[] batch = unsettled.addAndTakeAtLeast(deliveryId, consumer.id(), dupsOkBatch);
                if (batch != null) {
                    sendAck(AckKind.CONSUMED, batch);
                }
            }
            default -> unsettled.add(deliveryId, consumer.id());
        }
    }

    /** A listener threw: in AUTO and DUPS_OK modes the message is delivered again at once (JMS 3.1, 8.7). */
    void listenerFailed(TernMessageConsumer consumer, long deliveryId) throws JMSException {
        if (mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE) {
            sendAck(AckKind.REDELIVER, new long[] {deliveryId});
        } else {
            delivered(consumer, deliveryId);
        }
    }

    /**
     * Whether AUTO_ACKNOWLEDGE acknowledgements may be held back at all. Not in an XA session: between XA start and
     * end an acknowledgement joins the branch the broker holds the session in, so one held across the end would
     * settle outside the branch what its rollback must give back.
     */
    boolean mayHoldAcks() {
        return true;
    }

    /** Sends the acknowledgements held back (see {@link #delivered}), if any. */
    void flushHeldAcks() throws JMSException {
        if (!heldAcks.isEmpty()) {
            sendAck(AckKind.CONSUMED, heldAcks.takeAll());
        }
    }

    /** True when acknowledgements are held back (see {@link #delivered}). */
    boolean holdsAcks() {
        return !heldAcks.isEmpty();
    }

    private long[] takeUnsettled() {
        return unsettled.takeAll();
    }

    /** The unsettled deliveries a consumer gave the application; they stay with the session when it closes. */
    long[] unsettledOf(TernMessageConsumer consumer) {
        return unsettled.of(consumer.id());
    }

    void sendAck(AckKind kind, long[] ids) throws JMSException {
        if (ids.length > 0) {
            connection.provider().send(new Frame.Ack(0, id, kind, ids));
        }
    }

    void afterSend(CompletableFuture<Frame> sent, Message message, CompletionListener listener) {
        completions.after(sent, message, listener);
    }

    /** Waits until every asynchronous send of this session has completed and its callback has returned. */
    void awaitCompletions() {
        completions.await();
    }

    // --- listener delivery ------------------------------------------------------------------------------------

    /** Arranges for listeners to run if the connection is started and a listener consumer has messages. */
    void scheduleListenerDelivery() {
        if (!closed && connection.isStarted() && drainScheduled.compareAndSet(false, true)) {
            try {
                connection.listenerThreads().execute(this::drainToListeners);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainScheduled.set(false);
            }
        }
    }

    private void drainToListeners() {
        try {
            boolean more = true;
            while (more && !closed && connection.isStarted()) {
                more = false;
                deliveryLock.lock();
                listenerThread = Thread.currentThread();
                try {
                    for (TernMessageConsumer c : consumers) {
                        if (closed || !connection.isStarted()) {
                            break;
                        }
                        more |= c.deliverOneToListener();
                    }
                } finally {
                    listenerThread = null;
                    deliveryLock.unlock();
                }
            }
            flushHeldAcksQuietly();
        } finally {
            drainScheduled.set(false);
        }
        for (TernMessageConsumer c : consumers) {
            if (c.hasListenerWork()) {
                scheduleListenerDelivery();
                return;
            }
        }
    }

    void connectionStarted() {
        scheduleListenerDelivery();
        for (TernMessageConsumer c : consumers) {
            c.wakeUp();
        }
    }

    /** Waits until no listener of this session is running (Connection.stop, close). */
    void awaitListenersIdle() {
        if (isListenerThread()) {
            return;
        }
        deliveryLock.lock();
        deliveryLock.unlock();
    }

    void connectionLost() {
        for (TernMessageConsumer c : consumers) {
            c.wakeUp();
        }
    }

    // --- producers and consumers ------------------------------------------------------------------------------

    static TernDestination ternDestination(Destination destination) throws JMSException {
        if (destination == null) {
            throw new InvalidDestinationException("the destination is null");
        }
        if (!(destination instanceof TernDestination d)) {
            throw new InvalidDestinationException("destination " + destination + " (" + destination.getClass().getName()
                    + ") is not a Tern destination; create it with Session.createQueue or createTopic");
        }
        return d;
    }

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        TernDestination d = destination == null ? null : ternDestination(destination);
        TernMessageProducer p = new TernMessageProducer(this, d);
        producers.add(p);
        return p;
    }

    void producerClosed(TernMessageProducer p) {
        producers.remove(p);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return newConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return newConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return newConsumer(destination, messageSelector, noLocal);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return newConsumer(queue, null, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return newConsumer(queue, messageSelector, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return newConsumer(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return newConsumer(topic, messageSelector, noLocal);
    }

    private TernMessageConsumer newConsumer(Destination destination, String selector, boolean noLocal)
            throws JMSException {
        return newConsumer(destination, selector, noLocal, noLocal ? Frame.ConsumerOpen.NO_LOCAL : 0, null);
    }

    /** Opens a consumer; {@code flags} and {@code subscription} are CONSUMER_OPEN's (durable, shared...). */
    private TernMessageConsumer newConsumer(Destination destination, String selector, boolean noLocal, int flags,
                                            String subscription) throws JMSException {
        checkOpen();
        TernDestination d = ternDestination(destination);
        // Refuse a bad selector here, before any frame is sent; the broker parses it again for itself.
        String sel = Selector.parse(selector).text();
        TernMessageConsumer c = new TernMessageConsumer(this, connection.nextConsumerId(), d, sel, noLocal,
                Math.max(1, connection.options().prefetch()), flags, subscription);
        consumers.add(c);
        connection.registerConsumer(c);
        try {
            connection.request(corr -> new Frame.ConsumerOpen(corr, c.id(), id, d.toWire(), sel, flags, subscription,
                    c.prefetch()), subscription == null ? "opening a consumer on " + d
                    : "opening a consumer on subscription '" + subscription + "' of " + d);
        } catch (JMSException e) {
            consumers.remove(c);
            connection.unregisterConsumer(c);
            throw e;
        }
        return c;
    }

    /** True when a consumer of this session delivers to a MessageListener. */
    boolean hasListener() {
        for (TernMessageConsumer c : consumers) {
            if (c.hasMessageListener()) {
                return true;
            }
        }
        return false;
    }

    void consumerClosed(TernMessageConsumer c) {
        consumers.remove(c);
        connection.unregisterConsumer(c);
    }

    // --- destinations -----------------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createQueue");
        return new TernQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createTopic");
        return new TernTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createTemporaryQueue");
        return connection.createTemporary(new TernTemporaryQueue(connection.nextTemporaryName("temp-queue"),
                connection));
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createTemporaryTopic");
        return connection.createTemporary(new TernTemporaryTopic(connection.nextTemporaryName("temp-topic"),
                connection));
    }

    // --- durable and shared subscriptions, browsers ---------------------------------------------------------------

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
                                                   boolean noLocal) throws JMSException {
        checkDomain(Domain.QUEUE, "createDurableSubscriber");
        return newDurable(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkDomain(Domain.QUEUE, "createDurableConsumer");
        return newDurable(topic, name, messageSelector, noLocal);
    }

    /** An unshared durable subscription is named by the client id and the name, so it needs a client id. */
    private TernMessageConsumer newDurable(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        checkOpen();
        ternDestination(topic);
        checkSubscriptionName(name);
        if (connection.getClientID() == null) {
            throw new IllegalStateException("durable subscription '" + name + "' needs a client id: an unshared"
                    + " durable subscription is named by client id and name; call Connection.setClientID first, or"
                    + " use createSharedDurableConsumer");
        }
        int flags = Frame.ConsumerOpen.DURABLE | (noLocal ? Frame.ConsumerOpen.NO_LOCAL : 0);
        return newConsumer(topic, selector, noLocal, flags, name);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkDomain(Domain.QUEUE, "createSharedConsumer");
        return newShared(topic, sharedSubscriptionName, messageSelector, Frame.ConsumerOpen.SHARED);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        checkDomain(Domain.QUEUE, "createSharedDurableConsumer");
        return newShared(topic, name, messageSelector, Frame.ConsumerOpen.SHARED | Frame.ConsumerOpen.DURABLE);
    }

    private TernMessageConsumer newShared(Topic topic, String name, String selector, int flags) throws JMSException {
        checkOpen();
        ternDestination(topic);
        checkSubscriptionName(name);
        return newConsumer(topic, selector, false, flags, name);
    }

    private static void checkSubscriptionName(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new JMSException("a subscription name must not be null or empty");
        }
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "unsubscribe");
        checkSubscriptionName(name);
        for (TernMessageConsumer c : consumers) {
            if (name.equals(c.subscriptionName()) && c.isDurable()) {
                throw new IllegalStateException("durable subscription '" + name + "' has an active consumer in this"
                        + " session; close it before unsubscribing");
            }
        }
        connection.request(corr -> new Frame.Unsubscribe(corr, name), "deleting durable subscription '" + name + "'");
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createBrowser");
        TernDestination d = ternDestination(queue);
        if (!(d instanceof TernQueue q)) {
            throw new InvalidDestinationException(d + " is not a queue");
        }
        TernQueueBrowser b = new TernQueueBrowser(this, q, Selector.parse(messageSelector).text());
        browsers.add(b);
        return b;
    }

    // --- session-wide listener: an optional application-server facility -----------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw new JMSException("Session.setMessageListener is an optional application-server facility Tern does not"
                + " offer; set a listener on a MessageConsumer");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run is an optional application-server facility Tern does"
                + " not offer");
    }

    // --- close ------------------------------------------------------------------------------------------------

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (isListenerThread()) {
            throw new IllegalStateException("a message listener must not close its own session");
        }
        checkNotInCompletionListener("close its own session");
        closed = true;
        awaitCompletions();
        deliveryLock.lock();
        try {
            for (TernMessageProducer p : producers) {
                p.closed();
            }
            producers.clear();
            browsers.forEach(TernQueueBrowser::closedBySession);
            browsers.clear();
            for (TernMessageConsumer c : consumers) {
                c.closedBySession();
                connection.unregisterConsumer(c);
            }
            consumers.clear();
            if (mode == Session.DUPS_OK_ACKNOWLEDGE && !connection.isClosed()) {
                sendAckQuietly(takeUnsettled());
            }
            if (!connection.isClosed()) {
                sendAckQuietly(heldAcks.takeAll());
            }
            long[] ids = takeUnsettled();
            try {
                connection.checkOpen();
                connection.request(corr -> new Frame.SessionClose(corr, id, ids), "closing the session");
            } catch (IllegalStateException lost) {
                // the connection is gone: the broker has released everything already
            }
        } finally {
            deliveryLock.unlock();
            connection.sessionClosed(this);
        }
    }

    /** On a listener thread, where a failure to write is the connection's to report. */
    private void flushHeldAcksQuietly() {
        if (!heldAcks.isEmpty()) {
            sendAckQuietly(heldAcks.takeAll());
        }
    }

    private void sendAckQuietly(long[] ids) {
        try {
            sendAck(AckKind.CONSUMED, ids);
        } catch (JMSException e) {
            // the connection is gone: the broker returns DUPS_OK's as redelivered, which that mode allows, and
            // drops a plain topic subscriber's with its subscription
        }
    }

    @Override
    public String toString() {
        return "TernSession[" + id + " of " + connection + "]";
    }
}
