package io.tern.jms.provider;

import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionRolledBackException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Provider} that keeps one connection alive over a list of brokers ({@code failover:(uri,uri...)}). It
 * wraps one plain provider at a time. When that transport fails it tries the brokers again with back-off (see
 * {@link FailoverOptions}), redoes the handshake with the same client id and re-creates, in order, what
 * {@link ConnectionState} recorded; meanwhile requests wait. The JMS objects above see only slower answers, except:
 * <ul>
 * <li>deliveries of the lost connection are dropped ({@link ProviderListener#onConnectionInterrupted}); the broker
 * sends them again, flagged redelivered. Delivery ids carry the number of the connection that delivered them, so an
 * acknowledgement of a delivery of a lost connection is dropped here instead of settling the wrong message;</li>
 * <li>a synchronous send whose answer was lost is sent again (the broker drops the copy by message id and answers
 * OK); a send of a transacted or XA session fails instead;</li>
 * <li>a transacted session that sent or received in the lost connection cannot commit: its next commit is rolled
 * back on the new broker and fails with {@link TransactionRolledBackException}, as does a commit whose answer was
 * lost (its outcome is unknown); a rollback succeeds;</li>
 * <li>{@link ProviderListener#onFailure} is called only when failover gives up.</li>
 * </ul>
 */
public final class FailoverProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverProvider.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService RECONNECTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tern-failover-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tern-failover-timer");
        t.setDaemon(true);
        return t;
    });

    private final FailoverOptions options;
    private final List<ConnectionOptions> uris;
    private final Function<ConnectionOptions, Provider> transports;
    private final Object lock = new Object();
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicInteger nextGeneration = new AtomicInteger();
    // guarded by lock
    private final Map<Long, FailoverRequest> pending = new LinkedHashMap<>();
    private final ConnectionState state = new ConnectionState();
    private final LostWork work = new LostWork();
    private Provider current;
    private int generation;
    private int currentIndex;
    /** The transport being re-created while not yet current, and its generation: deliveries come from it. */
    private Provider replaying;
    private boolean replayStarted;
    private boolean closed;
    private JMSException gaveUp;
    private Frame.Hello hello;
    private volatile int deliverGeneration;
    private volatile ProviderListener listener;

    /** A failover provider over Netty transports (tcp://, vm://). */
    public static FailoverProvider over(FailoverOptions options) {
        return new FailoverProvider(options, NettyProvider::underFailover);
    }

    public FailoverProvider(FailoverOptions options, Function<ConnectionOptions, Provider> transports) {
        this.options = options;
        this.transports = transports;
        List<ConnectionOptions> list = new ArrayList<>(options.uris());
        if (options.randomize()) {
            Collections.shuffle(list);
        }
        this.uris = List.copyOf(list);
    }

    @Override
    public void setListener(ProviderListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return current != null && current.isConnected() && !closed;
        }
    }

    @Override
    public String remoteAddress() {
        synchronized (lock) {
            return current != null ? current.remoteAddress() : options.uri();
        }
    }

    // --- connecting -------------------------------------------------------------------------------------------

    @Override
    public Frame.HelloOk connect(Frame.Hello hello) throws JMSException {
        synchronized (lock) {
            this.hello = hello;
        }
        Connected c = connectLoop(options.startupAttempts(), 0, null);
        publish(c);
        if (c.index != 0 || c.passes > 1) {
            LOG.info("TERN-C0013 failover connected to {} after {} pass(es) over {}", c.provider.remoteAddress(),
                    c.passes, options.uri());
        }
        return c.ok;
    }

    private record Connected(Provider provider, int generation, int index, int passes, Frame.HelloOk ok) {
    }

    /**
     * Tries the brokers in turn, starting at {@code start}, pass after pass with back-off, at most {@code maxPasses}
     * passes (-1 for ever; 0 counts as one). Blocks.
     */
    private Connected connectLoop(int maxPasses, int start, JMSException cause) throws JMSException {
        long delay = options.initialReconnectDelay();
        JMSException last = cause;
        for (int pass = 1; ; pass++) {
            for (int i = 0; i < uris.size(); i++) {
                int index = (start + i) % uris.size();
                checkNotClosed();
                try {
                    return open(uris.get(index), index, pass);
                } catch (JMSException e) {
                    last = e;
                    LOG.debug("TERN-C0014 failover could not connect to {} (pass {}): {}",
                            uris.get(index).address(), pass, e.getMessage());
                }
            }
            if (maxPasses >= 0 && pass >= Math.max(1, maxPasses)) {
                JMSException e = new JMSException("failover gave up after " + pass + " pass(es) over " + options.uri()
                        + "; last failure: " + (last == null ? "none" : last.getMessage()), "CONNECTION_LOST");
                if (last != null) {
                    e.setLinkedException(last);
                    e.initCause(last);
                }
                throw e;
            }
            pause(delay);
            if (options.useExponentialBackOff()) {
                delay = (long) Math.min(options.maxReconnectDelay(), delay * options.reconnectBackOffMultiplier());
            }
            delay = Math.min(delay, options.maxReconnectDelay());
        }
    }

    private void pause(long millis) throws JMSException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            long wait;
            while (!closed && (wait = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw JmsExceptions.wrap("interrupted while waiting to reconnect to " + options.uri(), e);
                }
            }
        }
        checkNotClosed();
    }

    private void checkNotClosed() throws JMSException {
        synchronized (lock) {
            if (closed) {
                throw new JMSException("the connection to " + options.uri() + " is closed");
            }
        }
    }

    /** Connects to one broker, does the handshake and re-creates the connection's state there. */
    private Connected open(ConnectionOptions uri, int index, int pass) throws JMSException {
        Provider p = transports.apply(uri);
        int gen = nextGeneration.incrementAndGet();
        Frame.Hello h;
        synchronized (lock) {
            deliverGeneration = gen;
            replaying = null;
            h = new Frame.Hello(0, hello.protocolVersion(), hello.clientId(), hello.username(), hello.password(),
                    uri.maxFrameSize(), uri.isVm() ? 0 : uri.heartbeat());
        }
        p.setListener(new TransportListener(p, gen));
        try {
            Frame.HelloOk ok = p.connect(h);
            replay(p, gen, uri);
            return new Connected(p, gen, index, pass, ok);
        } catch (JMSException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Re-creates sessions, consumers and temporary destinations on a new transport, in their order. */
    private void replay(Provider p, int gen, ConnectionOptions uri) throws JMSException {
        List<ConnectionState.Entry> entries;
        synchronized (lock) {
            replaying = p;
            replayStarted = true;
            entries = state.entries();
        }
        for (ConnectionState.Entry e : entries) {
            Frame answer;
            try {
                answer = JmsExceptions.await(p.request(corr -> ConnectionState.withCorrelation(e.frame(), corr)),
                        uri.requestTimeout(), "re-creating " + e.frame().type() + " on " + uri.address());
            } catch (JMSException refused) {
                if (!p.isConnected()) {
                    throw refused;
                }
                LOG.warn("TERN-C0012 failover could not re-create {} on {}: {}", e.frame(), uri.address(),
                        refused.getMessage());
                synchronized (lock) {
                    state.refused(e.frame());
                }
                if (e.origin() != null) {
                    e.origin().future.completeExceptionally(refused);
                }
                continue;
            }
            if (e.origin() != null) {
                e.origin().future.complete(answer);
            }
        }
    }

    /** Makes a connected transport current and sends the requests that waited for it. */
    private void publish(Connected c) {
        synchronized (lock) {
            replaying = null;
            replayStarted = false;
            if (closed) {
                c.provider.close();
                return;
            }
            current = c.provider;
            generation = c.generation;
            currentIndex = c.index;
            for (FailoverRequest r : new ArrayList<>(pending.values())) {
                if (r.sentOn == null && !r.isDone()) {
                    dispatch(r, c.provider, c.generation);
                }
            }
        }
        if (!c.provider.isConnected()) {
            lost(c.provider, new JMSException("the connection to " + c.provider.remoteAddress() + " was lost"));
        }
    }

    // --- losing a connection ----------------------------------------------------------------------------------

    /** A transport failed: answer or keep its requests, tell the connection, and reconnect (or give up). */
    private void lost(Provider p, JMSException cause) {
        String from;
        int index;
        List<Runnable> answers = new ArrayList<>();
        synchronized (lock) {
            if (p != current || closed) {
                return;
            }
            current = null;
            deliverGeneration = 0; // what the lost transport still had in its buffers is not passed up
            from = p.remoteAddress();
            index = currentIndex;
            work.connectionLost();
            for (FailoverRequest r : new ArrayList<>(pending.values())) {
                if (r.sentOn == p && !r.isDone()) {
                    answers.add(answerLost(r));
                }
            }
        }
        // answered outside the lock: the callers' callbacks may come back to this provider
        answers.forEach(Runnable::run);
        ProviderListener l = listener;
        if (l != null) {
            l.onConnectionInterrupted(from, cause);
        }
        // off the transport's thread, which must not wait for its own channel to close
        RECONNECTS.execute(() -> {
            p.close();
            if (options.maxReconnectAttempts() == 0) {
                giveUp(new JMSException("the connection to " + from + " was lost and failover is configured not to"
                        + " reconnect (maxReconnectAttempts=0): " + cause.getMessage(), "CONNECTION_LOST"));
            } else {
                reconnect(from, index, cause);
            }
        });
    }

    /**
     * What happens to a request whose connection was lost before it was answered: the answer to give it (run
     * outside the lock), or nothing when it waits for the next connection.
     */
    private Runnable answerLost(FailoverRequest r) {
        Frame f = r.template;
        switch (f.type()) {
            case SEND -> {
                int session = ((Frame.Send) f).sessionId();
                if (state.isTransacted(session) || work.branchLost(session)) {
                    return () -> r.future.completeExceptionally(new TransactionRolledBackException("a send of the"
                            + " transaction was lost with the connection to the broker; the transaction will be"
                            + " rolled back", "TRANSACTION_ROLLED_BACK"));
                }
                return resendLater(r);
            }
            case TX_COMMIT -> {
                return () -> r.future.completeExceptionally(new TransactionRolledBackException("the connection was"
                        + " lost while the transaction committed; its outcome is unknown and it is reported as rolled"
                        + " back", "TRANSACTION_ROLLED_BACK"));
            }
            case ACK -> {
                if (((Frame.Ack) f).kind() == AckKind.RETURN_ALL) {
                    // the client drops what its consumers hold once this is answered: it must be the new broker
                    // that took those back (and paused the consumers), so it is sent again there
                    return resendLater(r);
                }
                return () -> r.future.complete(new Frame.Ok(0));
            }
            case TX_ROLLBACK, CLOSE, SESSION_CLOSE, CONSUMER_CLOSE, TEMP_DELETE -> {
                return () -> r.future.complete(new Frame.Ok(0));
            }
            case SESSION_OPEN, TEMP_CREATE, SET_CLIENT_ID, UNSUBSCRIBE -> {
                return resendLater(r);
            }
            case CONSUMER_OPEN -> {
                if (ConnectionState.isState(f)) {
                    return resendLater(r);
                }
                return () -> r.future.completeExceptionally(new JMSException("the browser could not be opened: the"
                        + " connection to the broker was lost; browse again", "CONNECTION_LOST"));
            }
            default -> {
                return () -> r.future.completeExceptionally(new JMSException("the connection to the broker was lost"
                        + " before " + f.type() + " was answered; the XA branch is rolled back by the broker",
                        "XAER_RMFAIL"));
            }
        }
    }

    /**
     * Waits for the next connection. A state frame is answered by the replay, which re-creates it; any other is
     * written again once connected.
     */
    private Runnable resendLater(FailoverRequest r) {
        r.sentOn = null;
        armTimeout(r);
        return () -> { };
    }

    private void reconnect(String from, int index, JMSException cause) {
        Connected c;
        try {
            c = connectLoop(options.maxReconnectAttempts(), (index + 1) % uris.size(), cause);
        } catch (JMSException e) {
            giveUp(e);
            return;
        }
        publish(c);
        LOG.info("TERN-C0010 failover from {} to {} after {} pass(es); cause: {}", from, c.provider.remoteAddress(),
                c.passes, cause.getMessage());
        ProviderListener l = listener;
        if (l != null) {
            l.onConnectionRestored(c.provider.remoteAddress());
        }
    }

    private void giveUp(JMSException cause) {
        List<FailoverRequest> failing;
        synchronized (lock) {
            if (closed || gaveUp != null) {
                return;
            }
            gaveUp = cause;
            failing = new ArrayList<>(pending.values());
            pending.clear();
        }
        failing.forEach(r -> r.future.completeExceptionally(cause));
        LOG.warn("TERN-C0011 {}", cause.getMessage());
        ProviderListener l = listener;
        if (l != null) {
            l.onFailure(cause);
        }
    }

    // --- requests ---------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Frame> request(IntFunction<Frame> frame) {
        FailoverRequest r = new FailoverRequest(nextSeq.incrementAndGet(), frame);
        synchronized (lock) {
            if (closed || gaveUp != null) {
                r.future.completeExceptionally(gaveUp != null ? gaveUp
                        : new JMSException("the connection to " + options.uri() + " is closed"));
                return r.future;
            }
            Frame f = r.template;
            state.record(f, r);
            state.forget(f);
            if (f instanceof Frame.SessionClose s) {
                work.sessionClosed(s.sessionId());
            }
            if (current == null && isClose(f) && !replayStarted) {
                // nothing of it exists on the next broker: a close while disconnected is done
                r.future.complete(new Frame.Ok(0));
                return r.future;
            }
            pending.put(r.seq, r);
            r.future.whenComplete((a, e) -> {
                synchronized (lock) {
                    pending.remove(r.seq);
                    if (e != null) {
                        state.refused(f, r); // failed, timed out or cancelled: nothing to re-create
                    }
                }
            });
            if (current != null) {
                dispatch(r, current, generation);
            } else {
                armTimeout(r);
            }
        }
        return r.future;
    }

    private static boolean isClose(Frame f) {
        return switch (f.type()) {
            case CLOSE, SESSION_CLOSE, CONSUMER_CLOSE -> true;
            default -> false;
        };
    }

    /** Fails a request that waited {@code timeout} ms for a connection. */
    private void armTimeout(FailoverRequest r) {
        if (options.timeout() < 0) {
            return;
        }
        TIMERS.schedule(() -> {
            synchronized (lock) {
                if (r.sentOn != null || r.isDone()) {
                    return;
                }
            }
            r.future.completeExceptionally(new JMSException(r.template.type() + " waited " + options.timeout()
                    + " ms (failover timeout) for a connection to " + options.uri(), "CONNECTION_LOST"));
        }, options.timeout(), TimeUnit.MILLISECONDS);
    }

    /** Writes a request to a transport. Called with the lock held. */
    private void dispatch(FailoverRequest r, Provider p, int gen) {
        Frame f = r.template;
        r.sentOn = p;
        if (f instanceof Frame.TxCommit c && work.commitMustFail(c.sessionId())) {
            // roll back what the session did on this broker since, so that it starts a fresh transaction
            p.request(corr -> new Frame.TxRollback(corr, c.sessionId())).whenComplete((a, e) ->
                    r.future.completeExceptionally(new TransactionRolledBackException("the transaction was rolled"
                            + " back: its work was lost when the connection failed over; retry it",
                            "TRANSACTION_ROLLED_BACK")));
            return;
        }
        if (f instanceof Frame.TxRollback rb) {
            work.rolledBack(rb.sessionId());
        } else if (f instanceof Frame.Send s) {
            if (work.branchLost(s.sessionId())) {
                r.future.completeExceptionally(new TransactionRolledBackException("the XA branch of this session was"
                        + " lost with the connection; end it and let the transaction manager roll it back",
                        "TRANSACTION_ROLLED_BACK"));
                return;
            }
            if (state.isTransacted(s.sessionId())) {
                work.sentInTransaction(s.sessionId());
            }
        } else if (f instanceof Frame.XaStart x) {
            work.branchStarted(x.sessionId());
        } else if (f instanceof Frame.XaEnd x) {
            work.branchEnded(x.sessionId());
        }
        if (f instanceof Frame.Ack a) {
            long[] ids = live(a.deliveryIds(), gen, a.sessionId());
            if (ids.length == 0 && a.deliveryIds().length > 0 && a.kind() != AckKind.RETURN_ALL) {
                r.future.complete(new Frame.Ok(0));
                return;
            }
            p.request(corr -> new Frame.Ack(corr, a.sessionId(), a.kind(), ids)).whenComplete((a2, e) ->
                    answered(r, p, a2, e));
            return;
        } else if (f instanceof Frame.SessionClose s) {
            long[] ids = live(s.delivered(), gen, s.sessionId());
            p.request(corr -> new Frame.SessionClose(corr, s.sessionId(), ids)).whenComplete((a2, e) ->
                    answered(r, p, a2, e));
            return;
        } else if (f instanceof Frame.ConsumerClose c) {
            long[] ids = live(c.delivered(), gen, -1);
            p.request(corr -> new Frame.ConsumerClose(corr, c.consumerId(), ids)).whenComplete((a2, e) ->
                    answered(r, p, a2, e));
            return;
        }
        p.request(r.frame).whenComplete((a, e) -> answered(r, p, a, e));
    }

    /** An answer (or failure) from the transport a request was written to. */
    private void answered(FailoverRequest r, Provider p, Frame answer, Throwable error) {
        if (error == null) {
            if (r.template instanceof Frame.SetClientId s) {
                synchronized (lock) {
                    hello = new Frame.Hello(0, hello.protocolVersion(), s.clientId(), hello.username(),
                            hello.password(), hello.maxFrameSize(), hello.heartbeatMillis());
                }
            } else if (r.template instanceof Frame.TempDelete) {
                synchronized (lock) {
                    state.forget(r.template);
                }
            }
            r.future.complete(answer);
            return;
        }
        if (!p.isConnected()) {
            return; // the connection was lost: lost() decides what becomes of the request
        }
        if (isClose(r.template)) {
            r.future.complete(new Frame.Ok(0)); // the broker no longer has it: closed is closed
            return;
        }
        synchronized (lock) {
            state.refused(r.template);
        }
        r.future.completeExceptionally(error);
    }

    private long[] live(long[] ids, int gen, int sessionId) {
        return work.live(ids, gen, sessionId, sessionId >= 0 && state.isTransacted(sessionId));
    }

    @Override
    public void send(Frame frame) throws JMSException {
        synchronized (lock) {
            if (closed || gaveUp != null) {
                throw gaveUp != null ? gaveUp : new JMSException("the connection to " + options.uri() + " is closed");
            }
            Provider target = current != null ? current : replaying;
            int gen = current != null ? generation : replaying != null ? deliverGeneration : 0;
            Frame out = frame;
            if (frame instanceof Frame.Ack a) {
                if (work.branchLost(a.sessionId())) {
                    return; // outside its branch the ack would settle for good what the branch must roll back
                }
                long[] ids = live(a.deliveryIds(), gen, a.sessionId());
                if (ids.length == 0) {
                    return;
                }
                out = new Frame.Ack(0, a.sessionId(), a.kind(), ids);
            } else if (frame instanceof Frame.ConsumerClose c) {
                out = new Frame.ConsumerClose(0, c.consumerId(), live(c.delivered(), gen, -1));
            }
            if (target == null) {
                return; // nothing to tell a broker we are not connected to; a new consumer starts with full credit
            }
            try {
                target.send(out);
            } catch (JMSException e) {
                LOG.debug("TERN-C0015 {} not sent to {}: {}", frame.type(), target.remoteAddress(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        Provider p;
        List<FailoverRequest> failing;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            p = current;
            current = null;
            lock.notifyAll();
            failing = new ArrayList<>(pending.values());
            pending.clear();
        }
        failing.forEach(r -> r.future.completeExceptionally(new JMSException("the connection to " + options.uri()
                + " was closed")));
        if (p != null) {
            p.close();
        }
    }

    /** Deliveries and failures of one transport, numbered with its generation. */
    private final class TransportListener implements ProviderListener {
        private final Provider transport;
        private final int gen;

        TransportListener(Provider transport, int gen) {
            this.transport = transport;
            this.gen = gen;
        }

        @Override
        public void onDeliver(Frame.Deliver d) {
            ProviderListener l = listener;
            if (l != null && gen == deliverGeneration) {
                l.onDeliver(new Frame.Deliver(d.consumerId(), LostWork.tag(gen, d.deliveryId()),
                        d.deliveryCount(), d.envelope()));
            }
        }

        @Override
        public void onBrowseEnd(Frame.BrowseEnd end) {
            ProviderListener l = listener;
            if (l != null && gen == deliverGeneration) {
                l.onBrowseEnd(end);
            }
        }

        @Override
        public void onFailure(JMSException cause) {
            lost(transport, cause);
        }
    }
}
