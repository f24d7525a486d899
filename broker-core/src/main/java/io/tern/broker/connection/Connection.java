package io.tern.broker.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.destination.Destination;
import io.tern.broker.destination.Queue;
import io.tern.broker.destination.SubscriptionException;
import io.tern.broker.destination.SubscriptionRequest;
import io.tern.broker.destination.Subscriptions;
import io.tern.broker.destination.Topic;
import io.tern.broker.destination.UnknownDestinationException;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.session.BranchTimedOutException;
import io.tern.broker.session.Consumer;
import io.tern.broker.session.Outbound;
import io.tern.broker.session.Session;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.FrameType;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.InvalidSelectorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection after its handshake: handles its requests in order on a {@link SerialExecutor} and owns its
 * sessions and consumers. Everything but {@link Outbound} runs on that executor, one task at a time. A request runs
 * on the Netty event loop that read it only when it cannot block there: a SEND or an ACK, when the store's writes
 * never block ({@link io.tern.broker.store.Store#submitsWithoutBlocking}) and the connection has no earlier request
 * queued or running ({@link #handledOnEventLoop}); every other request waits for a worker thread.
 */
public final class Connection implements Outbound {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Channel channel;
    /** Every frame to the client goes through it: straight to the socket from other threads, or to the event loop. */
    private final DirectWriter direct;
    private final int maxEnvelopeSize;
    private final String id;
    private final BrokerContext broker;
    private final SerialExecutor executor;
    private final boolean storeNeverBlocks;
    private final StoreLimitGate storeLimit;
    /** Made at the first XA request: most connections never send one. */
    private XaRequests xa;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final Map<Long, Consumer> consumers = new HashMap<>();
    /** What each consumer (not browser) consumes from: sends to those destinations are never paced. */
    private final Map<Long, Destination> consumedFrom = new HashMap<>();
    private final Object deliveryLock = new Object();
    private long lastDeliveryId;
    /** Deliveries (and browse copies) on their way to the event loop, which writes them all and flushes once. */
    private final java.util.Queue<Frame> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean outboxScheduled = new AtomicBoolean();
    private volatile String clientId;
    private boolean ended;

    public Connection(DirectWriter direct, String id, String clientId, int maxFrameSize, BrokerContext broker) {
        this.channel = direct.channel();
        this.direct = direct;
        this.id = id;
        this.maxEnvelopeSize = FrameDescriptor.maxEnvelopeSize(maxFrameSize);
        this.clientId = clientId;
        this.broker = broker;
        this.executor = new SerialExecutor(broker.workers());
        this.storeNeverBlocks = broker.store().submitsWithoutBlocking();
        this.storeLimit = new StoreLimitGate(broker.store(), broker.memory(), broker.config().storeLimitBytes(),
                broker.config().storeLimitWaitMillis(), broker.scheduler(), executor, id);
    }

    public String id() {
        return id;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * Handles a request frame in order: at once on the calling event loop when {@link #handledOnEventLoop} allows it
     * and nothing of this connection's is queued or running, else queued on this connection's executor.
     */
    public void submit(Frame frame) {
        Runnable task = () -> handle(frame);
        if (!handledOnEventLoop(frame) || !executor.runIfIdle(task)) {
            executor.execute(task);
        }
    }

    /**
     * True for a request whose handling never blocks, so an event loop may run it, when the store's writes never
     * block either: a SEND, an ACK or a local TX_COMMIT. Handling a send parses its envelope, resolves (or creates)
     * its destination, checks the duplicate audit and routes the message in memory under short destination locks; a
     * persistent message is handed to the store, which writes it on its own thread. Handling an ack settles deliveries
     * in memory, hands removals to the store and gives released messages back to their queue (a redelivery delay
     * waits on the timer). A commit hands its batch to the store and routes it when the store completes it, on the
     * store's thread; it is on the critical path of every transacted producer and consumer (one commit a batch, each
     * waited for). Page reads run on the pager pool, never here. Every other request waits for a worker: a CREDIT
     * may make a browser read a page from the store, and XA, consumers and sessions are rarer. With a store that may
     * block (JDBC) every request waits for a worker.
     */
    boolean handledOnEventLoop(Frame frame) {
        return storeNeverBlocks && (frame.type() == FrameType.SEND || frame.type() == FrameType.ACK
                || frame.type() == FrameType.TX_COMMIT);
    }

    /** The channel became writable again: let consumers that were skipped receive messages. */
    public void resumeDispatch() {
        executor.execute(() -> consumers.values().forEach(Consumer::resume));
    }

    /** The channel closed: every session's deliveries come back counted, since any of them may have been seen. */
    public void lost() {
        executor.execute(this::end);
    }

    private void handle(Frame frame) {
        if (ended) {
            return;
        }
        switch (frame.type()) {
            case SET_CLIENT_ID -> setClientId((Frame.SetClientId) frame);
            case SESSION_OPEN -> openSession((Frame.SessionOpen) frame);
            case SESSION_CLOSE -> closeSession((Frame.SessionClose) frame);
            case CONSUMER_OPEN -> openConsumer((Frame.ConsumerOpen) frame);
            case CONSUMER_CLOSE -> closeConsumer((Frame.ConsumerClose) frame);
            case CREDIT -> credit((Frame.Credit) frame);
            case UNSUBSCRIBE -> unsubscribe((Frame.Unsubscribe) frame);
            case TEMP_CREATE -> createTemporary((Frame.TempCreate) frame);
            case TEMP_DELETE -> deleteTemporary((Frame.TempDelete) frame);
            case SEND -> send((Frame.Send) frame);
            case ACK -> ack((Frame.Ack) frame);
            case TX_COMMIT -> commit((Frame.TxCommit) frame);
            case TX_ROLLBACK -> rollback((Frame.TxRollback) frame);
            case XA_START, XA_END, XA_PREPARE, XA_COMMIT, XA_ROLLBACK, XA_RECOVER, XA_FORGET -> xa().handle(frame);
            case CLOSE -> {
                end();
                ok(frame.correlationId());
            }
            default -> violation(frame.type() + " is not a request the broker handles");
        }
    }

    private void setClientId(Frame.SetClientId f) {
        String requested = f.clientId();
        if (requested == null || requested.isBlank()) {
            error(f.correlationId(), ErrorCode.INVALID_CLIENT_ID, "the client id must not be blank");
        } else if (clientId != null) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, "the client id is already set to '" + clientId + "'");
        } else if (!broker.clientIds().claim(requested, id)) {
            error(f.correlationId(), ErrorCode.INVALID_CLIENT_ID, "client id '" + requested
                    + "' is in use by another connection");
        } else {
            clientId = requested;
            ok(f.correlationId());
        }
    }

    private void openSession(Frame.SessionOpen f) {
        if (sessions.containsKey(f.sessionId())) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, "session " + f.sessionId() + " is already open");
            return;
        }
        sessions.put(f.sessionId(), new Session(f.sessionId(), f.mode(), id, this, broker.store()));
        ok(f.correlationId());
    }

    private void closeSession(Frame.SessionClose f) {
        Session session = session(f.sessionId(), f.correlationId());
        if (session != null) {
            sessions.remove(f.sessionId());
            broker.branches().sessionClosed(session);
            session.consumers().forEach(c -> {
                consumers.remove(c.id());
                consumedFrom.remove(c.id());
            });
            session.close(f.delivered());
            ok(f.correlationId());
        }
    }

    private void openConsumer(Frame.ConsumerOpen f) {
        Session session = session(f.sessionId(), f.correlationId());
        if (session == null) {
            return;
        }
        String refusal = ConsumerRequest.refusal(f);
        if (refusal != null) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, refusal);
            return;
        }
        MessageFilter filter;
        try {
            filter = MessageFilter.parse(f.selector());
        } catch (InvalidSelectorException e) {
            error(f.correlationId(), ErrorCode.INVALID_SELECTOR, e.getMessage());
            return;
        }
        if (consumers.containsKey(f.consumerId())) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, "consumer " + f.consumerId() + " is already open");
            return;
        }
        Destination destination;
        try {
            destination = broker.destinations().resolveForConsumer(f.destination(), id);
        } catch (UnknownDestinationException e) {
            error(f.correlationId(), ErrorCode.INVALID_DESTINATION, e.getMessage());
            return;
        }
        if (f.has(Frame.ConsumerOpen.BROWSER)) {
            ok(f.correlationId());
            consumers.put(f.consumerId(), session.openBrowser(f.consumerId(), (Queue) destination, f.prefetch(),
                    filter));
        } else if (f.has(Frame.ConsumerOpen.DURABLE) || f.has(Frame.ConsumerOpen.SHARED)) {
            openSubscriber(f, session, (Topic) destination, filter);
        } else {
            consumers.put(f.consumerId(), session.openConsumer(f.consumerId(), destination, f.prefetch(),
                    f.has(Frame.ConsumerOpen.NO_LOCAL), filter));
            consumedFrom.put(f.consumerId(), destination);
            // Answered once subscribed: a message published after the client has this answer must reach a topic
            // subscriber. Its first deliveries may precede the answer; the client knows the consumer from its request.
            ok(f.correlationId());
        }
    }

    /** A consumer on a durable or shared subscription; answered once the store holds the subscription. */
    private void openSubscriber(Frame.ConsumerOpen f, Session session, Topic topic, MessageFilter filter) {
        boolean durable = f.has(Frame.ConsumerOpen.DURABLE);
        if (durable && f.destination().kind().isTemporary()) {
            error(f.correlationId(), ErrorCode.INVALID_DESTINATION, "durable subscription '" + f.subscriptionName()
                    + "' cannot be made on " + f.destination() + ": a temporary topic ends with its connection");
            return;
        }
        SubscriptionRequest request = new SubscriptionRequest(clientId, f.subscriptionName(), f.selector(), filter,
                f.has(Frame.ConsumerOpen.NO_LOCAL), f.has(Frame.ConsumerOpen.SHARED), durable, id);
        Subscriptions.Opened[] opened = new Subscriptions.Opened[1];
        Consumer consumer;
        try {
            consumer = session.openConsumer(f.consumerId(), subscriber -> {
                opened[0] = broker.destinations().subscriptions().open(topic, request, subscriber, f.prefetch());
                return opened[0].subscription();
            });
        } catch (SubscriptionException e) {
            error(f.correlationId(), e.code(), e.getMessage());
            return;
        }
        consumers.put(f.consumerId(), consumer);
        consumedFrom.put(f.consumerId(), topic);
        opened[0].stored().whenComplete((v, e) -> {
            if (e == null) {
                ok(f.correlationId());
            } else {
                error(f.correlationId(), ErrorCode.INTERNAL, "the store could not record " + request.describe()
                        + ": " + cause(e));
            }
        });
    }

    private void unsubscribe(Frame.Unsubscribe f) {
        try {
            broker.destinations().subscriptions().unsubscribe(clientId, f.subscriptionName()).whenComplete((v, e) -> {
                if (e == null) {
                    ok(f.correlationId());
                } else {
                    error(f.correlationId(), ErrorCode.INTERNAL, "the store could not delete durable subscription '"
                            + f.subscriptionName() + "': " + cause(e));
                }
            });
        } catch (SubscriptionException e) {
            error(f.correlationId(), e.code(), e.getMessage());
        }
    }

    private void closeConsumer(Frame.ConsumerClose f) {
        Consumer consumer = consumers.remove(f.consumerId());
        consumedFrom.remove(f.consumerId());
        if (consumer == null) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, "consumer " + f.consumerId() + " does not exist");
            return;
        }
        consumer.session().closeConsumer(consumer, f.delivered());
        ok(f.correlationId());
    }

    private void credit(Frame.Credit f) {
        Consumer consumer = consumers.get(f.consumerId());
        if (consumer == null) {
            LOG.debug("TERN-B0201 credit for consumer {} of {} ignored: no such consumer (closed?)",
                    f.consumerId(), id);
            return;
        }
        consumer.addCredit(f.credit());
    }

    private void send(Frame.Send f) {
        Session session = session(f.sessionId(), f.correlationId());
        if (session == null) {
            return;
        }
        if (f.envelope().length > maxEnvelopeSize) {
            refuseSend(session, f.correlationId(), ErrorCode.RESOURCE_ALLOCATION, "a message of "
                    + f.envelope().length + " bytes is larger than this connection carries (" + maxEnvelopeSize
                    + " bytes)");
            return;
        }
        MessageEnvelope envelope;
        try {
            envelope = MessageEnvelope.parse(f.envelope());
        } catch (MalformedFrameException e) {
            violation("SEND envelope: " + e.getMessage());
            return;
        }
        Destination destination;
        try {
            destination = broker.destinations().resolve(envelope.header().destination());
        } catch (UnknownDestinationException e) {
            refuseSend(session, f.correlationId(), ErrorCode.INVALID_DESTINATION, e.getMessage());
            return;
        }
        String target = envelope.header().destination().toString();
        BrokerMessage message = new BrokerMessage(envelope, id, clientId);
        if (f.correlationId() != 0 && message.persistent()) {
            message.awaitingAnswer(); // only a persistent queue message waits for it (Queue#send)
        }
        boolean mayWait = mayWait(session, destination);
        boolean paced = mayWait && !message.persistent() && f.correlationId() != 0;
        // a message that may not page: a non-persistent one, or one to a topic that non-durable subscribers hold
        boolean memoryBound = mayWait && !envelope.header().destination().kind().isTemporary()
                && (!message.persistent() || destination instanceof Topic t && t.hasNonDurableSubscription());
        storeLimit.submit(message.persistent(), memoryBound,
                () -> session.send(destination, message).whenComplete((v, e) -> {
            try {
                if (e == null && paced) {
                    destination.flow().answer(() -> answer(new Frame.Ok(f.correlationId()), message));
                } else if (e == null) {
                    answer(new Frame.Ok(f.correlationId()), message);
                } else if (unwrap(e) instanceof BranchTimedOutException t) {
                    error(f.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, t.getMessage());
                } else {
                    refuseSend(session, f.correlationId(), ErrorCode.INTERNAL, "the store could not accept the"
                            + " message for " + target + ": " + cause(e));
                }
            } finally {
                if (e != null) {
                    message.answerWritten(true); // not stored: nothing to keep
                }
            }
        }), refusal -> {
            message.answerWritten(true);
            refuseSend(session, f.correlationId(), ErrorCode.RESOURCE_ALLOCATION, "message for " + target
                    + " refused: " + refusal);
        });
    }

    /**
     * Answers a send with an error. In a local transaction the refusal also dooms the transaction: the client
     * writes its commit behind the sends without waiting for their answers, so the commit must roll back.
     */
    private void refuseSend(Session session, int correlationId, ErrorCode code, String reason) {
        session.sendRefused(reason);
        error(correlationId, code, reason);
    }

    /**
     * True when a send may be held back, by producer flow control or at {@code memory-limit}: a message outside a
     * transaction to a destination this connection does not consume from itself. A transaction's messages become
     * visible only at its commit, which is never held; and a connection that consumes from the destination could be
     * waiting for itself (a listener that sends to the queue it consumes).
     *
     * <p>Producer flow control ({@link io.tern.broker.flow.ProducerFlow}) then holds the answer of such a send that is
     * non-persistent and answered (persistent messages page instead); the store-limit gate ({@link StoreLimitGate})
     * holds such a send itself, before routing, while messages that cannot page fill {@code memory-limit}, when it is
     * one of them (non-persistent, or to a topic with a non-durable subscriber, which holds it in memory) and does not
     * go to a temporary destination (not counted in that limit).
     */
    private boolean mayWait(Session session, Destination destination) {
        return !session.isTransacted() && !session.inBranch() && !consumedFrom.containsValue(destination);
    }

    private void ack(Frame.Ack f) {
        Session session = session(f.sessionId(), f.correlationId());
        if (session == null) {
            return;
        }
        // An ack nobody waits for (AUTO_ACKNOWLEDGE, DUPS_OK) need not be durable before the next forced write.
        session.ack(f.kind(), f.deliveryIds(), f.correlationId() != 0).whenComplete((v, e) -> {
            if (e == null) {
                ok(f.correlationId());
            } else if (unwrap(e) instanceof BranchTimedOutException t) {
                error(f.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, t.getMessage());
            } else {
                error(f.correlationId(), ErrorCode.INTERNAL, "the store could not remove acknowledged messages: "
                        + cause(e));
            }
        });
    }

    /**
     * Commits a local transaction once every send the client wrote before the commit has been handled: a send the
     * store-limit gate parked goes (or is refused) first. A transaction with a refused send rolls back instead.
     */
    private void commit(Frame.TxCommit f) {
        Session session = transactedSession(f.sessionId(), f.correlationId());
        if (session != null) {
            storeLimit.afterParked(() -> commit(session, f));
        }
    }

    private void commit(Session session, Frame.TxCommit f) {
        String refused = session.refusedSend();
        if (refused != null) {
            session.rollback();
            error(f.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, "the transaction of session "
                    + f.sessionId() + " was rolled back at its commit: the broker refused a send in it: " + refused);
            return;
        }
        session.commit().whenComplete((v, e) -> {
            if (e == null) {
                ok(f.correlationId());
            } else {
                error(f.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, "the commit of session "
                        + f.sessionId() + " failed and was rolled back: " + cause(e));
            }
        });
    }

    /** Rolls back a local transaction once every send written before the rollback has been handled (see commit). */
    private void rollback(Frame.TxRollback f) {
        Session session = transactedSession(f.sessionId(), f.correlationId());
        if (session != null) {
            storeLimit.afterParked(() -> {
                session.rollback();
                ok(f.correlationId());
            });
        }
    }

    private void createTemporary(Frame.TempCreate f) {
        try {
            broker.destinations().createTemporary(f.destination(), id);
            ok(f.correlationId());
        } catch (IllegalStateException e) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, e.getMessage());
        }
    }

    private void deleteTemporary(Frame.TempDelete f) {
        try {
            broker.destinations().deleteTemporary(f.destination(), id, false);
            ok(f.correlationId());
        } catch (IllegalStateException e) {
            error(f.correlationId(), ErrorCode.ILLEGAL_STATE, e.getMessage());
        }
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        storeLimit.end();
        broker.branches().connectionEnded(id, List.copyOf(sessions.values()));
        sessions.values().forEach(Session::closeLost);
        sessions.clear();
        consumers.clear();
        consumedFrom.clear();
        broker.destinations().deleteTemporaries(id);
        broker.clientIds().release(clientId, id);
    }

    private XaRequests xa() {
        if (xa == null) {
            xa = new XaRequests(id, broker.branches(), this::write, this::sessionOrNull, this::error);
        }
        return xa;
    }

    private Session sessionOrNull(int sessionId) {
        return sessions.get(sessionId);
    }

    private Session session(int sessionId, int corr) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            error(corr, ErrorCode.ILLEGAL_STATE, "session " + sessionId + " does not exist");
        }
        return session;
    }

    private Session transactedSession(int sessionId, int corr) {
        Session session = session(sessionId, corr);
        if (session != null && !session.isTransacted()) {
            error(corr, ErrorCode.ILLEGAL_STATE, "session " + sessionId + " is not transacted");
            return null;
        }
        return session;
    }

    private void ok(int corr) {
        if (corr != 0) {
            write(new Frame.Ok(corr));
        }
    }

    /** Answers a send, and tells its message once the answer is written (or cannot be). */
    private void answer(Frame.Ok ok, BrokerMessage message) {
        if (ok.correlationId() == 0 || channel.eventLoop().isShuttingDown()) {
            message.answerWritten(ok.correlationId() == 0);
            return;
        }
        ChannelPromise promise = channel.newPromise();
        if (writeInOrder(ok, promise)) {
            answerWritten(message, true);
        } else {
            promise.addListener(written -> answerWritten(message, written.isSuccess()));
        }
    }

    /**
     * Tells a message its answer is written. The listener runs on the event loop, and a consumption held back for
     * the answer then writes its removal to the store: on a worker thread unless the store's writes never block.
     */
    private void answerWritten(BrokerMessage message, boolean written) {
        if (storeNeverBlocks) {
            message.answerWritten(written);
        } else {
            try {
                broker.workers().execute(() -> message.answerWritten(written));
            } catch (RejectedExecutionException stopping) {
                message.answerWritten(written); // the broker is stopping: its store is closing too
            }
        }
    }

    /**
     * Writes a frame to the client, unless the broker is stopping: an answer completed after the server shut its
     * event loops down (a store write failing as the broker stops) has nobody to go to, and Netty would log each
     * such write as an error.
     */
    private void write(Frame frame) {
        if (!channel.eventLoop().isShuttingDown()) {
            writeInOrder(frame, channel.newPromise());
        }
    }

    /**
     * Writes a frame after every frame written to this channel before. Off the event loop it goes straight to the
     * socket when nothing is waiting to be written ({@link DirectWriter}), sparing the loop a wake-up; on the event
     * loop the write joins the loop's queue, behind what other threads handed to it (a DELIVER of a message routed on
     * the event loop must not reach the consumer before one of an earlier message routed on a journal thread), and
     * beside the other frames the loop writes and flushes together.
     *
     * @return true when the frame went straight to the socket ({@code promise} is then left alone)
     */
    private boolean writeInOrder(Frame frame, ChannelPromise promise) {
        if (!channel.eventLoop().inEventLoop()) {
            return direct.write(frame, promise);
        }
        try {
            direct.execute(() -> channel.writeAndFlush(frame, promise));
        } catch (RejectedExecutionException stopping) {
            promise.tryFailure(stopping);
        }
        return false;
    }

    /** Answers a failed request; with correlation id 0 nobody waits for an answer, so the error is logged. */
    private void error(int corr, ErrorCode code, String message) {
        if (corr != 0) {
            write(new Frame.Error(corr, code, message));
        } else {
            LOG.warn("TERN-B0202 request without correlation id from {} (client id {}) failed: {} {}",
                    channel.remoteAddress(), clientId, code, message);
        }
    }

    private void violation(String reason) {
        end();
        ProtocolViolation.close(direct, clientId, reason);
    }

    private static String cause(Throwable e) {
        return unwrap(e).toString();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Override
    public boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    @Override
    public void send(Frame frame) {
        synchronized (deliveryLock) {
            post(frame);
        }
    }

    @Override
    public void deliver(LongFunction<Frame.Deliver> deliver) {
        deliver(deliver, false);
    }

    /**
     * With {@code straight}, on a thread that is no event loop (the journal's completion thread routing a persistent
     * message, a worker) and with nothing in the outbox, the frame goes straight to the socket when the
     * {@link DirectWriter} allows it now; otherwise through the outbox, behind every frame posted before it. An event
     * loop routes the dense streams (non-persistent sends), which the outbox writes many frames a system call.
     */
    @Override
    public void deliver(LongFunction<Frame.Deliver> deliver, boolean straight) {
        synchronized (deliveryLock) {
            Frame.Deliver frame = deliver.apply(++lastDeliveryId);
            if (!straight || !outbox.isEmpty() || Thread.currentThread() instanceof FastThreadLocalThread
                    || !direct.tryWrite(frame)) {
                post(frame);
            }
        }
    }

    /**
     * Hands a frame to the event loop through the outbox: one task writes every frame posted meanwhile and flushes
     * once, instead of a write task (and a wake-up of the event loop) per frame. A topic's message goes to each
     * subscriber's connection from the publisher's thread, so a burst of publishes becomes one write and one flush
     * per subscriber. Frames keep their order: a frame posted while a drain runs is taken by that drain, or by the
     * task this post schedules, which runs before any later {@code write} of the posting thread.
     */
    private void post(Frame frame) {
        outbox.add(frame);
        if (outboxScheduled.compareAndSet(false, true)) {
            try {
                direct.execute(this::drainOutbox);
            } catch (RejectedExecutionException stopping) {
                outbox.clear(); // the broker is stopping: nobody is left to write to
            }
        }
    }

    /** On the event loop: writes what was posted, then flushes. */
    private void drainOutbox() {
        outboxScheduled.set(false);
        // nobody to write to when the broker stops or the client left (its deliveries come back when it is ended)
        boolean stopping = channel.eventLoop().isShuttingDown() || !channel.isActive();
        Frame frame;
        int written = 0;
        while ((frame = outbox.poll()) != null) {
            if (!stopping) {
                channel.write(frame, channel.voidPromise());
                written++;
            }
        }
        if (written > 0) {
            channel.flush();
        }
    }
}
