package io.tern.jms.client;

import io.tern.jms.destination.TemporaryDestinationOwner;
import io.tern.jms.destination.TernDestination;
import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.provider.ConnectionOptions;
import io.tern.jms.provider.FailoverProvider;
import io.tern.jms.provider.NettyProvider;
import io.tern.jms.provider.Provider;
import io.tern.jms.provider.ProviderListener;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one broker. It owns the {@link Provider}, the sessions, the routing of deliveries to consumers,
 * the pool of threads that run message listeners, and the window that bounds unanswered asynchronous sends.
 */
public class TernConnection implements QueueConnection, TopicConnection, TemporaryDestinationOwner {
    private static final Logger LOG = LoggerFactory.getLogger(TernConnection.class);
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();

    private final ConnectionOptions options;
    private final Provider provider;
    private final Map<Integer, TernSession> sessions = new ConcurrentHashMap<>();
    private final Map<Long, TernMessageConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<Long, TernQueueBrowser.Browse> browses = new ConcurrentHashMap<>();
    private final AtomicInteger nextSessionId = new AtomicInteger();
    private final AtomicLong nextConsumerId = new AtomicLong();
    private final AtomicLong nextMessageSeq = new AtomicLong();
    private final AtomicLong nextTemporaryId = new AtomicLong();
    private final Semaphore sendWindow;
    private final ExecutorService listenerThreads;
    private final Object stateLock = new Object();

    private volatile TernSession.Domain domain = TernSession.Domain.GENERIC;
    private volatile String clientId;
    private volatile boolean clientIdFixed;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile JMSException failure;
    private volatile ExceptionListener exceptionListener;
    private String connectionId;
    private String messageIdPrefix;
    private String brokerName;
    private int maxFrameSize;

    TernConnection(ConnectionOptions options, Provider provider, String clientId) {
        this.options = options;
        this.provider = provider;
        this.clientId = clientId;
        this.clientIdFixed = clientId != null;
        this.sendWindow = new Semaphore(options.producerWindow());
        this.listenerThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tern-session-" + THREAD_COUNTER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects and performs the handshake; used by {@link TernConnectionFactory}. */
    static TernConnection open(ConnectionOptions options, String user, String password, String clientId)
            throws JMSException {
        return open(options, user, password, clientId, TernConnection::new);
    }

    /** How a connection object is made before its handshake: a plain or an XA connection. */
    @FunctionalInterface
    interface Maker {
        TernConnection make(ConnectionOptions options, Provider provider, String clientId);
    }

    static TernConnection open(ConnectionOptions options, String user, String password, String clientId,
                               Maker maker) throws JMSException {
        Provider provider = options.isFailover() ? FailoverProvider.over(options.failover())
                : new NettyProvider(options);
        TernConnection connection = maker.make(options, provider, clientId);
        provider.setListener(connection.new Listener());
        try {
            Frame.HelloOk ok = provider.connect(new Frame.Hello(0, FrameDescriptor.PROTOCOL_VERSION, clientId, user,
                    password, options.maxFrameSize(), options.isVm() ? 0 : options.heartbeat()));
            connection.connectionId = ok.connectionId();
            connection.brokerName = ok.brokerName();
            connection.maxFrameSize = ok.maxFrameSize();
            String cid = ok.connectionId();
            connection.messageIdPrefix = (cid.startsWith("ID:") ? cid : "ID:" + cid) + ":";
        } catch (JMSException e) {
            provider.close();
            connection.listenerThreads.shutdownNow();
            throw e;
        }
        return connection;
    }

    /** The factory made this as a QueueConnection or TopicConnection: it refuses the other domain's methods. */
    TernConnection inDomain(TernSession.Domain d) {
        this.domain = d;
        return this;
    }

    ConnectionOptions options() {
        return options;
    }

    Provider provider() {
        return provider;
    }

    ExecutorService listenerThreads() {
        return listenerThreads;
    }

    String brokerName() {
        return brokerName;
    }

    /** The broker's id of this connection. */
    public String connectionId() {
        return connectionId;
    }

    String nextMessageId() {
        return messageIdPrefix + nextMessageSeq.incrementAndGet();
    }

    boolean isStarted() {
        return started && !closed;
    }

    boolean isClosed() {
        return closed;
    }

    /** False once the connection to the broker is lost. */
    boolean isAlive() {
        return failure == null;
    }

    /** Throws the spec's IllegalStateException once the connection is closed or lost. */
    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
        JMSException f = failure;
        if (f != null) {
            throw new IllegalStateException("the connection to " + provider.remoteAddress() + " is lost: "
                    + f.getMessage());
        }
    }

    /** Waits for a request's answer within the connection's request timeout. */
    Frame request(java.util.function.IntFunction<Frame> frame, String what) throws JMSException {
        return JmsExceptions.await(provider.request(frame), options.requestTimeout(), what);
    }

    /**
     * Refuses a message too large for the negotiated maximum frame size: its SEND would be a protocol error that
     * drops the whole connection, or its DELIVER one that drops the consumer's.
     */
    void checkSendable(byte[] envelope, TernDestination destination) throws ResourceAllocationException {
        int limit = FrameDescriptor.maxEnvelopeSize(maxFrameSize);
        if (envelope.length > limit) {
            throw new ResourceAllocationException("the message to " + destination + " is " + envelope.length
                    + " bytes encoded; the connection to " + provider.remoteAddress() + " carries messages of at most "
                    + limit + " bytes (maxFrameSize " + maxFrameSize + ")", ErrorCode.RESOURCE_ALLOCATION.name());
        }
    }

    /**
     * Sends a message without waiting for its answer, within the connection's send window: waits only while the
     * window is full. The window's place is given back when the answer (or the failure) comes.
     */
    CompletableFuture<Frame> sendInWindow(int sessionId, byte[] envelope) throws JMSException {
        acquireSendWindow();
        CompletableFuture<Frame> answer = provider.request(corr -> new Frame.Send(corr, sessionId, envelope));
        answer.whenComplete((r, e) -> sendWindow.release());
        return answer;
    }

    /** Takes one place in the asynchronous send window, waiting when it is full. */
    private void acquireSendWindow() throws JMSException {
        try {
            while (!sendWindow.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                checkOpen();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsExceptions.wrap("interrupted while waiting for the broker to accept earlier sends", e);
        }
    }


    void reportAsyncFailure(JMSException e) {
        ExceptionListener l = exceptionListener;
        if (l != null) {
            listenerThreads.execute(() -> l.onException(e));
        } else {
            LOG.warn("TERN-C0003 asynchronous operation on {} failed and no ExceptionListener is set: {}",
                    provider.remoteAddress(), e.getMessage());
        }
    }

    /** The spec forbids a listener to stop or close its own connection: it would wait for itself. */
    private void checkNotOnListenerThread(String what) throws JMSException {
        for (TernSession s : sessions.values()) {
            if (s.isListenerThread()) {
                throw new IllegalStateException("a message listener must not " + what);
            }
            s.checkNotInCompletionListener(what);
        }
    }

    private void fixClientId() {
        clientIdFixed = true;
    }

    // --- sessions and consumers ---------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, TernSession.Domain.GENERIC);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return newSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode, TernSession.Domain.GENERIC);
    }

    @Override
    public Session createSession() throws JMSException {
        return newSession(false, Session.AUTO_ACKNOWLEDGE, TernSession.Domain.GENERIC);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, TernSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return newSession(transacted, acknowledgeMode, TernSession.Domain.TOPIC);
    }

    private TernSession newSession(boolean transacted, int acknowledgeMode, TernSession.Domain domain)
            throws JMSException {
        checkOpen();
        fixClientId();
        int mode = transacted ? Session.SESSION_TRANSACTED : acknowledgeMode;
        if (mode != Session.SESSION_TRANSACTED && mode != Session.AUTO_ACKNOWLEDGE
                && mode != Session.CLIENT_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("acknowledge mode " + acknowledgeMode + " is not one of AUTO_ACKNOWLEDGE (1),"
                    + " CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        return register(new TernSession(this, nextSessionId.incrementAndGet(), mode, domain));
    }

    /** An XA session: outside a global transaction it acknowledges like AUTO_ACKNOWLEDGE. */
    TernXASession newXASession(TernSession.Domain domain) throws JMSException {
        checkOpen();
        fixClientId();
        return register(new TernXASession(this, nextSessionId.incrementAndGet(), domain));
    }

    private <S extends TernSession> S register(S session) throws JMSException {
        sessions.put(session.id(), session);
        try {
            session.open();
        } catch (JMSException e) {
            sessions.remove(session.id());
            throw e;
        }
        return session;
    }

    void sessionClosed(TernSession session) {
        sessions.remove(session.id());
    }

    long nextConsumerId() {
        return nextConsumerId.incrementAndGet();
    }

    void registerConsumer(TernMessageConsumer consumer) {
        consumers.put(consumer.id(), consumer);
    }

    void unregisterConsumer(TernMessageConsumer consumer) {
        consumers.remove(consumer.id());
    }

    void registerBrowse(TernQueueBrowser.Browse browse) {
        browses.put(browse.id(), browse);
    }

    void unregisterBrowse(TernQueueBrowser.Browse browse) {
        browses.remove(browse.id());
    }

    String nextTemporaryName(String kind) {
        return kind + ":" + connectionId + ":" + nextTemporaryId.incrementAndGet();
    }

    /** Registers a temporary destination with the broker, which keeps it until it is deleted or this ends. */
    <T extends TernDestination> T createTemporary(T destination) throws JMSException {
        request(corr -> new Frame.TempCreate(corr, destination.toWire()), "creating " + destination);
        return destination;
    }

    /** Deletes one of this connection's temporary destinations; the broker refuses while it has consumers. */
    @Override
    public void deleteTemporaryDestination(TernDestination destination) throws JMSException {
        checkOpen();
        request(corr -> new Frame.TempDelete(corr, destination.toWire()), "deleting " + destination);
    }

    // --- life cycle -----------------------------------------------------------------------------------------

    @Override
    public void start() throws JMSException {
        checkOpen();
        fixClientId();
        synchronized (stateLock) {
            if (started) {
                return;
            }
            started = true;
        }
        for (TernSession s : sessions.values()) {
            s.connectionStarted();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        fixClientId();
        checkNotOnListenerThread("stop its own connection");
        synchronized (stateLock) {
            started = false;
        }
        for (TernSession s : sessions.values()) {
            s.awaitListenersIdle();
            s.flushHeldAcks();
        }
    }

    @Override
    public void close() throws JMSException {
        checkNotOnListenerThread("close its own connection");
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            started = false;
        }
        JMSException first = null;
        for (TernSession s : new ArrayList<>(sessions.values())) {
            try {
                s.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        closed = true;
        if (failure == null) {
            try {
                request(Frame.Close::new, "closing the connection");
            } catch (JMSException e) {
                LOG.debug("close of {} not confirmed by the broker: {}", provider.remoteAddress(), e.getMessage());
            }
        }
        boolean lost = failure != null || !provider.isConnected();
        provider.close();
        listenerThreads.shutdown();
        if (first != null && !lost) {
            throw first;
        }
    }

    // --- client id, metadata, listener ----------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String id) throws JMSException {
        checkOpen();
        if (clientIdFixed) {
            throw new IllegalStateException(clientId != null
                    ? "the client id is already set to '" + clientId + "'"
                    : "the client id must be set before the connection is used");
        }
        if (id == null || id.isEmpty()) {
            throw new jakarta.jms.InvalidClientIDException("a client id must not be null or empty");
        }
        request(corr -> new Frame.SetClientId(corr, id), "setting client id '" + id + "'");
        clientId = id;
        clientIdFixed = true;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return TernConnectionMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        fixClientId();
        this.exceptionListener = listener;
    }

    // --- connection consumers: an optional application-server facility ---------------------------------------

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        checkOpen();
        if (domain == TernSession.Domain.QUEUE) {
            throw new IllegalStateException("createDurableConnectionConsumer may not be called on a QueueConnection");
        }
        throw connectionConsumersUnsupported();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw connectionConsumersUnsupported();
    }

    private static JMSException connectionConsumersUnsupported() {
        return new JMSException("connection consumers (an optional application-server facility) are not supported;"
                + " use the Tern resource adapter to drive message-driven beans");
    }

    @Override
    public String toString() {
        return "TernConnection[" + provider.remoteAddress() + ", id=" + connectionId + ", clientId=" + clientId + "]";
    }

    /** Deliveries and failures from the provider, on a transport thread. */
    private final class Listener implements ProviderListener {
        @Override
        public void onDeliver(Frame.Deliver deliver) {
            TernMessageConsumer consumer = consumers.get(deliver.consumerId());
            TernQueueBrowser.Browse browse;
            if (consumer != null) {
                consumer.enqueue(deliver);
            } else if ((browse = browses.get(deliver.consumerId())) != null) {
                browse.enqueue(deliver);
            } else {
                LOG.debug("delivery {} for closed consumer {} dropped; the broker returns it when the close lands",
                        deliver.deliveryId(), deliver.consumerId());
            }
        }

        @Override
        public void onBrowseEnd(Frame.BrowseEnd end) {
            TernQueueBrowser.Browse browse = browses.get(end.consumerId());
            if (browse != null) {
                browse.ended();
            }
        }

        /** Failover: prefetched deliveries of the lost broker are dropped (the next one sends them again). */
        @Override
        public void onConnectionInterrupted(String from, JMSException cause) {
            for (TernMessageConsumer c : consumers.values()) {
                c.connectionInterrupted();
            }
            browses.values().forEach(b -> b.interrupted(from));
        }

        @Override
        public void onFailure(JMSException cause) {
            failure = cause;
            browses.values().forEach(TernQueueBrowser.Browse::wakeUp);
            for (TernSession s : sessions.values()) {
                s.connectionLost();
            }
            ExceptionListener l = exceptionListener;
            if (l != null) {
                listenerThreads.execute(() -> l.onException(cause));
            }
        }
    }
}
