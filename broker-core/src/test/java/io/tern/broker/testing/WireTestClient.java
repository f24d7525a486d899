package io.tern.broker.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tern.jms.provider.VmAddress;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDecoder;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.FrameEncoder;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted wire peer for broker tests: connects over TCP or {@code vm://}, sends frames (or raw bytes) and
 * collects what the broker sends in a queue that tests read with {@link #expect}. Heartbeats are collected only
 * when {@link #keepHeartbeats} is on.
 */
public final class WireTestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("wire-test-client", true), NioIoHandler.newFactory());
    private static final EventLoopGroup LOCAL_GROUP = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("wire-test-client-vm", true), LocalIoHandler.newFactory());

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final List<Object> stash = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger correlation = new AtomicInteger();
    private volatile boolean keepHeartbeats;
    private Channel channel;

    private WireTestClient() {
    }

    public static WireTestClient tcp(int port) {
        return new WireTestClient().connect(GROUP, NioSocketChannel.class, new InetSocketAddress("127.0.0.1", port));
    }

    public static WireTestClient vm(String name) {
        return new WireTestClient().connect(LOCAL_GROUP, LocalChannel.class, VmAddress.of(name));
    }

    private WireTestClient connect(EventLoopGroup group, Class<? extends Channel> type, SocketAddress address) {
        ChannelFuture f = new Bootstrap().group(group).channel(type).handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE), FrameEncoder.INSTANCE,
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (keepHeartbeats || !(msg instanceof Frame.Heartbeat)) {
                                    received.add(msg);
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                closed.countDown();
                            }
                        });
            }
        }).connect(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot connect to " + address, f.cause());
        }
        channel = f.channel();
        return this;
    }

    public WireTestClient keepHeartbeats(boolean keep) {
        this.keepHeartbeats = keep;
        return this;
    }

    public int nextCorrelationId() {
        return correlation.incrementAndGet();
    }

    public WireTestClient send(Frame frame) {
        channel.writeAndFlush(frame).awaitUninterruptibly();
        return this;
    }

    /** Writes bytes as they are, bypassing the encoder. */
    public WireTestClient sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).awaitUninterruptibly();
        return this;
    }

    /** Encodes a frame to bytes (length field included), e.g. to mutate it before {@link #sendRaw}. */
    public static byte[] encode(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            io.tern.jms.wire.FrameCodec.encode(frame, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** The next thing received (a Frame or a DecodeFailure), or null after the timeout. */
    public Object poll(Duration timeout) {
        if (!stash.isEmpty()) {
            return stash.remove(0);
        }
        return take(timeout);
    }

    private Object take(Duration timeout) {
        try {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The next frame, which must be of type {@code type}. */
    public <T extends Frame> T expect(Class<T> type) {
        return expect(type, TIMEOUT);
    }

    /**
     * The next frame of type {@code type}. DELIVER frames travel independently of answers, so while another type
     * is expected they are set aside (in order) for a later {@code expect(Frame.Deliver.class)}; anything else
     * that arrives first fails the test.
     */
    public <T extends Frame> T expect(Class<T> type, Duration timeout) {
        boolean deliver = type == Frame.Deliver.class;
        if (deliver && !stash.isEmpty()) {
            return type.cast(stash.remove(0));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object next = take(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (next == null) {
                throw new AssertionError("expected " + type.getSimpleName() + " within " + timeout
                        + " but got nothing");
            }
            if (type.isInstance(next)) {
                return type.cast(next);
            }
            if (deliver || !(next instanceof Frame.Deliver)) {
                throw new AssertionError("expected " + type.getSimpleName() + " but got " + next);
            }
            stash.add(next);
        }
    }

    /** Asserts that nothing arrives within {@code window}: used where the point is that the broker stays quiet. */
    public void expectNothing(Duration window) {
        Object next = poll(window);
        if (next != null) {
            throw new AssertionError("expected nothing within " + window + " but got " + next);
        }
    }

    /** Expects ERROR with the given correlation id and returns it. */
    public Frame.Error expectError(int correlationId) {
        Frame.Error e = expect(Frame.Error.class);
        if (e.correlationId() != correlationId) {
            throw new AssertionError("expected an error for correlation " + correlationId + " but got " + e);
        }
        return e;
    }

    public void expectOk(int correlationId) {
        Frame.Ok ok = expect(Frame.Ok.class);
        if (ok.correlationId() != correlationId) {
            throw new AssertionError("expected OK for correlation " + correlationId + " but got " + ok);
        }
    }

    public boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    // ---- scripted requests: each sends one frame and expects its answer ----

    public Frame.HelloOk hello() {
        return hello(null, null, null, 0);
    }

    public Frame.HelloOk hello(String clientId, String user, String password, int heartbeatMillis) {
        send(new Frame.Hello(nextCorrelationId(), FrameDescriptor.PROTOCOL_VERSION, clientId, user, password,
                FrameDescriptor.DEFAULT_MAX_FRAME_SIZE, heartbeatMillis));
        return expect(Frame.HelloOk.class);
    }

    public void openSession(int sessionId, SessionMode mode) {
        int corr = nextCorrelationId();
        send(new Frame.SessionOpen(corr, sessionId, mode));
        expectOk(corr);
    }

    public void openConsumer(long consumerId, int sessionId, WireDestination destination, int prefetch) {
        openConsumer(consumerId, sessionId, destination, prefetch, 0);
    }

    public void openConsumer(long consumerId, int sessionId, WireDestination destination, int prefetch, int flags) {
        openConsumer(consumerId, sessionId, destination, prefetch, flags, null);
    }

    /** Opens a consumer with a message selector (null for none) and waits for OK. */
    public void openConsumer(long consumerId, int sessionId, WireDestination destination, int prefetch, int flags,
                             String selector) {
        int corr = nextCorrelationId();
        send(new Frame.ConsumerOpen(corr, consumerId, sessionId, destination, selector, flags, null, prefetch));
        expectOk(corr);
    }

    /** Sends a message with a correlation id and waits for OK. */
    public void sendMessage(int sessionId, byte[] envelope) {
        int corr = nextCorrelationId();
        send(new Frame.Send(corr, sessionId, envelope));
        expectOk(corr);
    }

    public void ack(int sessionId, AckKind kind, long... deliveryIds) {
        int corr = nextCorrelationId();
        send(new Frame.Ack(corr, sessionId, kind, deliveryIds));
        expectOk(corr);
    }

    public void closeSession(int sessionId, long... delivered) {
        int corr = nextCorrelationId();
        send(new Frame.SessionClose(corr, sessionId, delivered));
        expectOk(corr);
    }

    public void closeConsumer(long consumerId, long... delivered) {
        int corr = nextCorrelationId();
        send(new Frame.ConsumerClose(corr, consumerId, delivered));
        expectOk(corr);
    }

    public void commit(int sessionId) {
        int corr = nextCorrelationId();
        send(new Frame.TxCommit(corr, sessionId));
        expectOk(corr);
    }

    public void rollback(int sessionId) {
        int corr = nextCorrelationId();
        send(new Frame.TxRollback(corr, sessionId));
        expectOk(corr);
    }

    /** Closes the socket without a CLOSE frame, as a crashed client would. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }
}
