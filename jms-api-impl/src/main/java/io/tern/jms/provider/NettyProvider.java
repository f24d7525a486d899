package io.tern.jms.provider;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tern.jms.exceptions.JmsExceptions;
import io.tern.jms.wire.DecodeFailure;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDecoder;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.FrameEncoder;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Provider} over Netty: TCP for {@code tcp://}, the local transport for {@code vm://}. Both share one
 * pipeline: frame decoder and encoder, heartbeats (TCP only), and the handler that pairs answers with requests. Over
 * native epoll TCP the thread that sends a frame also writes it to the socket when it can ({@link #write}), which
 * saves the event loop a wake-up per frame.
 */
public final class NettyProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(NettyProvider.class);

    private static volatile EventLoopGroup tcpGroup;
    private static volatile EventLoopGroup localGroup;

    static {
        LeakDetection.offUnlessAsked();
    }

    private final ConnectionOptions options;
    private final ConcurrentHashMap<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextCorrelationId = new AtomicInteger();
    /** Guards writes straight to the socket (see {@link #write}) against each other and against the close. */
    private final Object writeLock = new Object();
    /** Frames handed to the event loop and not yet written; while any, every write goes behind them. */
    private int onLoop;
    /** When the last frame was written or handed to the loop ({@link System#nanoTime}). Under the write lock. */
    private long lastWriteNanos;
    /**
     * The socket's descriptor while frames may be written to it straight from the caller's thread (native epoll
     * TCP); null before, after {@link #stopDirectWrites} and for other transports. Changed under the write lock.
     */
    private FileDescriptor directFd;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile ProviderListener listener;
    private volatile Channel channel;
    private volatile FrameDecoder decoder;

    private final boolean underFailover;

    public NettyProvider(ConnectionOptions options) {
        this(options, false);
    }

    private NettyProvider(ConnectionOptions options, boolean underFailover) {
        this.options = options;
        this.underFailover = underFailover;
    }

    /**
     * A transport a {@link FailoverProvider} drives: it logs a lost connection at DEBUG only, since the failover
     * logs the event once, with where it went.
     */
    static NettyProvider underFailover(ConnectionOptions options) {
        return new NettyProvider(options, true);
    }

    @Override
    public String remoteAddress() {
        return options.address();
    }

    @Override
    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive() && !closed.get() && !failed.get();
    }

    @Override
    public void setListener(ProviderListener listener) {
        this.listener = listener;
    }

    @Override
    public Frame.HelloOk connect(Frame.Hello hello) throws JMSException {
        Channel ch = options.isVm() ? openVm() : open(tcp(), SocketTransport.get().socketChannel(),
                new InetSocketAddress(options.host(), options.port()));
        channel = ch;
        Frame answer = JmsExceptions.await(request(corr -> new Frame.Hello(corr, hello.protocolVersion(),
                hello.clientId(), hello.username(), hello.password(), hello.maxFrameSize(), hello.heartbeatMillis())),
                options.connectTimeout(), "the handshake with " + remoteAddress());
        if (!(answer instanceof Frame.HelloOk ok)) {
            close();
            throw new JMSException("the broker at " + remoteAddress() + " answered the handshake with " + answer);
        }
        checkNegotiated(hello, ok);
        decoder.setMaxFrameSize(ok.maxFrameSize());
        if (ok.heartbeatMillis() > 0) {
            long hb = ok.heartbeatMillis();
            ch.pipeline().addBefore("handler", "idle", new IdleStateHandler(3 * hb, hb, 0, TimeUnit.MILLISECONDS));
        }
        return ok;
    }

    /** A broker may only lower what the client offered; anything else is a protocol error. */
    private void checkNegotiated(Frame.Hello hello, Frame.HelloOk ok) throws JMSException {
        String problem = null;
        if (ok.protocolVersion() != hello.protocolVersion()) {
            problem = "protocol version " + ok.protocolVersion() + " (the client speaks " + hello.protocolVersion() + ")";
        } else if (ok.maxFrameSize() > hello.maxFrameSize() || ok.maxFrameSize() < FrameDescriptor.MIN_MAX_FRAME_SIZE) {
            problem = "maximum frame size " + ok.maxFrameSize() + " (the client offered " + hello.maxFrameSize()
                    + "; at least " + FrameDescriptor.MIN_MAX_FRAME_SIZE + ")";
        } else if (ok.heartbeatMillis() < 0 || (hello.heartbeatMillis() == 0 && ok.heartbeatMillis() != 0)
                || (hello.heartbeatMillis() > 0 && ok.heartbeatMillis() > hello.heartbeatMillis())) {
            problem = "heartbeat interval " + ok.heartbeatMillis() + " ms (the client offered "
                    + hello.heartbeatMillis() + " ms)";
        }
        if (problem != null) {
            close();
            throw new JMSException("protocol error: the broker at " + remoteAddress() + " negotiated " + problem);
        }
    }

    private Channel openVm() throws JMSException {
        SocketAddress address = VmAddress.of(options.vmName());
        try {
            return open(local(), LocalChannel.class, address);
        } catch (JMSException notRunning) {
            if (!options.create()) {
                throw new JMSException("no in-JVM broker named '" + options.vmName() + "' is running and the URI says"
                        + " create=false");
            }
        }
        startVmBroker(options.vmName(), options.brokerOptions());
        return open(local(), LocalChannel.class, address);
    }

    private static void startVmBroker(String name, Map<String, String> brokerOptions) throws JMSException {
        VmBrokerLauncher launcher = ServiceLoader.load(VmBrokerLauncher.class, NettyProvider.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new JMSException("vm://" + name + " needs an in-JVM broker, but tern-broker is not"
                        + " on the class path"));
        try {
            launcher.ensureStarted(name, brokerOptions);
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            throw JmsExceptions.wrap("could not start the in-JVM broker vm://" + name + ": " + e.getMessage(), e);
        }
    }

    private Channel open(EventLoopGroup group, Class<? extends Channel> type, SocketAddress address)
            throws JMSException {
        FrameDecoder frameDecoder = new FrameDecoder(options.maxFrameSize());
        decoder = frameDecoder;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("decoder", frameDecoder)
                                .addLast("encoder", FrameEncoder.INSTANCE)
                                .addLast("handler", new Handler());
                    }
                });
        if (SocketChannel.class.isAssignableFrom(type)) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        if (UnixChannel.class.isAssignableFrom(type)) {
            // the broker's close then comes as an event before the socket closes, so direct writes stop first
            b.option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        ChannelFuture f = b.connect(address);
        try {
            if (!f.await(options.connectTimeout(), TimeUnit.MILLISECONDS)) {
                f.cancel(false);
                throw new JMSException("could not connect to " + remoteAddress() + " within "
                        + options.connectTimeout() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsExceptions.wrap("interrupted while connecting to " + remoteAddress(), e);
        }
        if (!f.isSuccess()) {
            throw JmsExceptions.wrap("could not connect to " + remoteAddress() + ": " + f.cause().getMessage(),
                    f.cause());
        }
        Channel opened = f.channel();
        FileDescriptor fd = StraightWrite.descriptor(opened);
        if (fd != null) {
            synchronized (writeLock) {
                directFd = fd;
            }
        }
        return opened;
    }

    @Override
    public CompletableFuture<Frame> request(IntFunction<Frame> frame) {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || closed.get() || failed.get()) {
            future.completeExceptionally(new JMSException("the connection to " + remoteAddress() + " is closed"));
            return future;
        }
        int corr = nextCorrelationId();
        pending.put(corr, future);
        future.whenComplete((r, e) -> pending.remove(corr));
        write(ch, frame.apply(corr), cause -> future.completeExceptionally(
                JmsExceptions.wrap("could not write to " + remoteAddress(), cause)));
        if (!ch.isActive()) {
            future.completeExceptionally(new JMSException("the connection to " + remoteAddress() + " is closed"));
        }
        return future;
    }

    private int nextCorrelationId() {
        int id;
        do {
            id = nextCorrelationId.incrementAndGet();
        } while (id == 0);
        return id;
    }

    @Override
    public void send(Frame frame) throws JMSException {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || closed.get()) {
            throw new JMSException("the connection to " + remoteAddress() + " is closed");
        }
        write(ch, frame, null);
    }

    /**
     * Writes a frame. With native epoll TCP, the calling thread encodes it and writes it straight to the socket while
     * nothing is queued on the event loop and the previous frame is not close ahead ({@link
     * StraightWrite#DENSE_NANOS}), so the loop need not wake for it (on this kind of machine a thread
     * wake-up is the main cost of a small frame); what a partial write leaves, and every frame after it until that is
     * written, goes through the loop in order. Every close of the socket first {@link #stopDirectWrites stops} these
     * writes under the same lock, so none can reach a descriptor number the process has closed (and may have given
     * to another file).
     *
     * @param onFailure told when the frame could not be written; null: nobody asks
     */
    private void write(Channel ch, Frame frame, Consumer<Throwable> onFailure) {
        ByteBuf rest = null;
        IOException failure = null;
        synchronized (writeLock) {
            FileDescriptor fd = directFd;
            long now = System.nanoTime();
            boolean sparse = now - lastWriteNanos > StraightWrite.DENSE_NANOS;
            lastWriteNanos = now;
            if (fd != null && onLoop == 0 && sparse) {
                try {
                    rest = StraightWrite.write(fd, ch.alloc(), frame);
                    if (rest == null) {
                        return;
                    }
                } catch (IOException e) {
                    directFd = null;
                    failure = e;
                }
            }
            if (failure == null && directFd != null) {
                onLoop++;
                Object message = rest != null ? rest : frame; // rest: what the socket did not take
                ch.eventLoop().execute(() -> ch.writeAndFlush(message).addListener(w -> {
                    synchronized (writeLock) {
                        if (!w.isSuccess()) {
                            directFd = null; // a failed write closed the socket, without an event before
                        }
                        onLoop--;
                    }
                    if (!w.isSuccess()) {
                        lostOnWrite(w.cause());
                        if (onFailure != null) {
                            onFailure.accept(w.cause());
                        }
                    }
                }));
                return;
            }
        }
        if (failure != null) {
            lostOnWrite(failure);
            if (onFailure != null) {
                onFailure.accept(failure);
            }
            ch.close();
        } else if (onFailure == null) {
            ch.writeAndFlush(frame, ch.voidPromise());
        } else {
            ch.writeAndFlush(frame).addListener(w -> {
                if (!w.isSuccess()) {
                    onFailure.accept(w.cause());
                }
            });
        }
    }

    /**
     * A write failed on the socket: the connection is lost, and is marked so before the write's caller hears of it,
     * so that failover (which asks {@link #isConnected}) holds the request for the next connection instead of failing
     * it. A failure that is no I/O error (a frame that could not be encoded) leaves the connection alone.
     */
    private void lostOnWrite(Throwable cause) {
        if (cause instanceof IOException) {
            fail(JmsExceptions.wrap("could not write to " + remoteAddress() + ": " + cause.getMessage(), cause));
        }
    }

    /** No more frames go straight to the socket: call before anything closes it. Waits for one under way. */
    private void stopDirectWrites() {
        synchronized (writeLock) {
            directFd = null;
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopDirectWrites();
            Channel ch = channel;
            if (ch != null) {
                ch.close().awaitUninterruptibly(options.connectTimeout());
            }
            failPending(new JMSException("the connection to " + remoteAddress() + " was closed"));
        }
    }

    private void failPending(JMSException cause) {
        for (CompletableFuture<Frame> f : pending.values()) {
            f.completeExceptionally(cause);
        }
    }

    private void fail(JMSException cause) {
        stopDirectWrites();
        if (closed.get() || !failed.compareAndSet(false, true)) {
            return;
        }
        if (underFailover) {
            LOG.debug("TERN-C0001 connection to {} lost: {}", remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("TERN-C0001 connection to {} lost: {}", remoteAddress(), cause.getMessage());
        }
        failPending(cause);
        ProviderListener l = listener;
        if (l != null) {
            l.onFailure(cause);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Pairs answers with requests and passes deliveries up. Runs on the channel's event loop. */
    private final class Handler extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DecodeFailure failure) {
                protocolError(ctx, failure.reason());
                return;
            }
            Frame frame = (Frame) msg;
            switch (frame.type()) {
                case DELIVER -> {
                    ProviderListener l = listener;
                    if (l != null) {
                        l.onDeliver((Frame.Deliver) frame);
                    }
                }
                case BROWSE_END -> {
                    ProviderListener l = listener;
                    if (l != null) {
                        l.onBrowseEnd((Frame.BrowseEnd) frame);
                    }
                }
                case HEARTBEAT -> {
                }
                case ERROR -> {
                    Frame.Error error = (Frame.Error) frame;
                    if (error.correlationId() == 0) {
                        String why = error.message() != null ? error.message() : error.code().name();
                        fail(JmsExceptions.of(error.code(), "the broker at " + remoteAddress()
                                + " is closing the connection: " + why));
                    } else {
                        complete(error.correlationId(), null, JmsExceptions.of(error.code(), error.message()));
                    }
                }
                case OK, HELLO_OK, XA_RESULT, XA_RECOVER_OK -> complete(frame.correlationId(), frame, null);
                default -> protocolError(ctx, "the broker sent a " + frame.type() + " frame, which only clients send");
            }
        }

        /** As protocol.md asks of a receiver: log, tell the broker why with ERROR(PROTOCOL) and close. */
        private void protocolError(ChannelHandlerContext ctx, String reason) {
            LOG.warn("TERN-C0002 protocol error from {}: {}", remoteAddress(), reason);
            write(ctx.channel(), new Frame.Error(0, ErrorCode.PROTOCOL, reason), null);
            fail(new JMSException("protocol error from the broker at " + remoteAddress() + ": " + reason));
        }

        private void complete(int correlationId, Frame frame, JMSException error) {
            CompletableFuture<Frame> f = pending.get(correlationId);
            if (f == null) {
                return; // answer to a request that timed out or was cancelled
            }
            if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(frame);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent idle) {
                if (idle.state() == IdleState.WRITER_IDLE) {
                    write(ctx.channel(), Frame.Heartbeat.INSTANCE, null);
                } else if (idle.state() == IdleState.READER_IDLE) {
                    fail(new JMSException("the broker at " + remoteAddress()
                            + " sent nothing for three heartbeat intervals; connection closed"));
                }
                return;
            }
            if (evt instanceof ChannelInputShutdownEvent) {
                // the broker closed its side (half-closure is allowed so that this comes before the socket closes)
                fail(connectionLost());
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(connectionLost());
        }

        private JMSException connectionLost() {
            return new JMSException("the connection to " + remoteAddress() + " was closed by the broker or the network",
                    "CONNECTION_LOST");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(JmsExceptions.wrap("I/O error on the connection to " + remoteAddress() + ": " + cause.getMessage(),
                    cause));
        }
    }

    private static EventLoopGroup tcp() {
        EventLoopGroup g = tcpGroup;
        if (g == null) {
            synchronized (NettyProvider.class) {
                if (tcpGroup == null) {
                    tcpGroup = new MultiThreadIoEventLoopGroup(0,
                            new DefaultThreadFactory("tern-client-io", true), SocketTransport.get().ioHandlerFactory());
                }
                g = tcpGroup;
            }
        }
        return g;
    }

    private static EventLoopGroup local() {
        EventLoopGroup g = localGroup;
        if (g == null) {
            synchronized (NettyProvider.class) {
                if (localGroup == null) {
                    localGroup = new MultiThreadIoEventLoopGroup(0,
                            new DefaultThreadFactory("tern-client-vm", true), LocalIoHandler.newFactory());
                }
                g = localGroup;
            }
        }
        return g;
    }
}
