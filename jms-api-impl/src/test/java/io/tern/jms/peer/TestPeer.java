package io.tern.jms.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.message.MessageCodec;
import io.tern.jms.message.TernTextMessage;
import io.tern.jms.wire.DecodeFailure;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDecoder;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.FrameEncoder;
import jakarta.jms.JMSException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted broker for client tests, in the manner of Qpid JMS's {@code TestAmqpPeer}: a Netty server on
 * 127.0.0.1 that speaks the real wire codec, records every frame a client sends and answers only what the test
 * tells it to. It never routes or stores anything: the test is the broker.
 *
 * <p>Conveniences: {@link #autoHandshake} answers HELLO by itself (the HELLO is still recorded, see
 * {@link #hello()}), and {@link #autoOk} answers chosen request types with OK while still recording them.
 * Client HEARTBEATs are counted, never queued; {@link #echoHeartbeats} makes the peer answer each with one.
 * A frame the peer cannot decode is recorded as a {@link DecodeFailure} in {@link #decodeFailures()}.
 */
public final class TestPeer implements AutoCloseable {
    /** How long {@link #expect} waits by default: long for a test, short against the class's hard timeout. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("test-peer", true), NioIoHandler.newFactory());
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<DecodeFailure> decodeFailures = new LinkedBlockingQueue<>();
    private final CompletableFuture<Frame.Hello> hello = new CompletableFuture<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final Set<Class<? extends Frame>> autoOk = new CopyOnWriteArraySet<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final Channel server;
    private volatile Channel client;
    private volatile Frame.HelloOk handshakeAnswer;
    private volatile boolean echoHeartbeats;
    private final AtomicBoolean closed = new AtomicBoolean();

    public TestPeer() {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        client = ch;
                        ch.closeFuture().addListener(f -> disconnected.complete(null));
                        ch.pipeline()
                                .addLast("decoder", new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE))
                                .addLast("encoder", FrameEncoder.INSTANCE)
                                .addLast("script", new Recorder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code tcp://127.0.0.1:port}, to which a test appends its query. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    // --- conveniences ----------------------------------------------------------------------------------------

    /** Answers every HELLO with HELLO_OK carrying these negotiated values. */
    public TestPeer autoHandshake(int maxFrameSize, int heartbeatMillis) {
        handshakeAnswer = new Frame.HelloOk(0, FrameDescriptor.PROTOCOL_VERSION, "test-peer", "0.0-test", "conn-1",
                maxFrameSize, heartbeatMillis);
        return this;
    }

    /** Answers every HELLO with HELLO_OK: 64 MiB frames, no heartbeats. */
    public TestPeer autoHandshake() {
        return autoHandshake(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE, 0);
    }

    /** Answers these request types with OK as they arrive; they are still recorded for {@link #expect}. */
    @SafeVarargs
    public final TestPeer autoOk(Class<? extends Frame>... types) {
        autoOk.addAll(Set.of(types));
        return this;
    }

    /** Answers each client HEARTBEAT with one, so a connection with heartbeats stays up while the test idles. */
    public TestPeer echoHeartbeats() {
        echoHeartbeats = true;
        return this;
    }

    /** The HELLO the client sent, whether answered automatically or by the script. */
    public Frame.Hello hello() {
        return hello.orTimeout(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public int heartbeatsReceived() {
        return heartbeats.get();
    }

    public BlockingQueue<DecodeFailure> decodeFailures() {
        return decodeFailures;
    }

    public boolean isDisconnected() {
        return disconnected.isDone();
    }

    /** A DELIVER of a text message sent to queue {@code queue}, as a broker would pass it on. */
    public static Frame.Deliver textDelivery(long consumerId, long deliveryId, int deliveryCount, String text) {
        TernTextMessage m = new TernTextMessage(text);
        try {
            m.setJMSDestination(new TernQueue("orders"));
            m.setJMSMessageID("ID:peer:" + deliveryId);
            return new Frame.Deliver(consumerId, deliveryId, deliveryCount, MessageCodec.encode(m));
        } catch (JMSException e) {
            throw new AssertionError("could not encode a test message", e);
        }
    }

    // --- the script ------------------------------------------------------------------------------------------

    /** The next frame the client sent, which must be a {@code type}; fails naming what came instead. */
    public <F extends Frame> F expect(Class<F> type) {
        return expect(type, DEFAULT_WAIT);
    }

    public <F extends Frame> F expect(Class<F> type, Duration wait) {
        Frame next;
        try {
            next = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a " + type.getSimpleName(), e);
        }
        if (next == null) {
            throw new AssertionError("the client sent no " + type.getSimpleName() + " within " + wait.toMillis()
                    + " ms" + (decodeFailures.isEmpty() ? "" : "; the peer could not decode: " + decodeFailures));
        }
        if (!type.isInstance(next)) {
            throw new AssertionError("expected the client to send a " + type.getSimpleName() + " but it sent "
                    + next + "; still queued: " + received);
        }
        return type.cast(next);
    }

    /** Fails when the client sent a frame the script has not consumed with {@link #expect}. */
    public void expectNothingMore() {
        if (!received.isEmpty()) {
            throw new AssertionError("the client sent frames the test did not expect: " + received);
        }
    }

    public void answerOk(Frame request) {
        send(new Frame.Ok(correlationIdOf(request)));
    }

    public void answerError(Frame request, ErrorCode code, String message) {
        send(new Frame.Error(correlationIdOf(request), code, message));
    }

    /** Answers with ERROR, then hangs up, as a broker does after refusing a handshake. */
    public void answerErrorAndClose(Frame request, ErrorCode code, String message) {
        connected().writeAndFlush(new Frame.Error(correlationIdOf(request), code, message))
                .addListener(ChannelFutureListener.CLOSE).syncUninterruptibly();
    }

    public void answerHello(Frame.Hello request, int maxFrameSize, int heartbeatMillis) {
        send(new Frame.HelloOk(request.correlationId(), FrameDescriptor.PROTOCOL_VERSION, "test-peer", "0.0-test",
                "conn-1", maxFrameSize, heartbeatMillis));
    }

    private static int correlationIdOf(Frame request) {
        if (request.correlationId() == 0) {
            throw new AssertionError(request + " has correlation id 0: the client wants no answer to it");
        }
        return request.correlationId();
    }

    public void send(Frame frame) {
        connected().writeAndFlush(frame).syncUninterruptibly();
    }

    public void sendRaw(byte[] bytes) {
        connected().writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    /** Closes the client's socket without a word, as a crashed broker or a cut cable would. */
    public void dropConnection() {
        connected().close().syncUninterruptibly();
    }

    private Channel connected() {
        Channel ch = client;
        if (ch == null) {
            throw new AssertionError("no client has connected to the test peer");
        }
        return ch;
    }

    /** Stops the peer and hangs up on the client. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Channel ch = client;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Records what the client sends; answers the handshake, auto-OK types and heartbeats when asked. */
    private final class Recorder extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DecodeFailure failure) {
                decodeFailures.add(failure);
                return;
            }
            Frame frame = (Frame) msg;
            if (frame instanceof Frame.Heartbeat) {
                heartbeats.incrementAndGet();
                if (echoHeartbeats) {
                    ctx.writeAndFlush(Frame.Heartbeat.INSTANCE);
                }
                return;
            }
            if (frame instanceof Frame.Hello h) {
                hello.complete(h);
                Frame.HelloOk answer = handshakeAnswer;
                if (answer != null) {
                    ctx.writeAndFlush(new Frame.HelloOk(h.correlationId(), answer.protocolVersion(),
                            answer.brokerName(), answer.brokerVersion(), answer.connectionId(),
                            answer.maxFrameSize(), answer.heartbeatMillis()));
                    return;
                }
            }
            received.add(frame);
            if (autoOk.contains(frame.getClass()) && frame.correlationId() != 0) {
                ctx.writeAndFlush(new Frame.Ok(frame.correlationId()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
