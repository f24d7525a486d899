package io.tern.broker.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.tern.broker.connection.BrokerContext;
import io.tern.broker.connection.Connection;
import io.tern.broker.connection.DirectWriter;
import io.tern.broker.connection.Handshake;
import io.tern.broker.connection.ProtocolViolation;
import io.tern.jms.wire.DecodeFailure;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDecoder;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client's pipeline, on the event loop: performs the handshake, turns decode failures and
 * misplaced frames into protocol errors, keeps the heartbeat, and hands every request to the {@link Connection},
 * which handles it off the event loop.
 *
 * <p>The heartbeat is one timer per connection, every negotiated interval, on the channel's event loop ({@link
 * #run}): it writes a HEARTBEAT when the broker wrote nothing since the last tick (so the peer never waits more than
 * two intervals for a frame) and closes the connection once the peer has sent nothing for three intervals. Netty's
 * {@code IdleStateHandler} did the same with a handler of its own, two timers and a listener on every write; an idle
 * connection now costs one scheduled task, and a write costs one field store.
 */
final class FrameHandler extends ChannelDuplexHandler implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameHandler.class);

    private final BrokerContext broker;
    private final FrameDecoder decoder;
    private final DirectWriter direct;
    private Connection connection;
    private boolean failed;
    /** Heartbeat state, event loop only: the channel's context, the timer, and what happened since the last tick. */
    private ChannelHandlerContext heartbeatCtx;
    private ScheduledFuture<?> heartbeat;
    private long heartbeatNanos;
    private long lastReadNanos;
    private boolean wrote;

    FrameHandler(BrokerContext broker, FrameDecoder decoder, DirectWriter direct) {
        this.broker = broker;
        this.decoder = decoder;
        this.direct = direct;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.debug("TERN-B0001 connection from {} opened", ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            return;
        }
        if (heartbeat != null) {
            lastReadNanos = System.nanoTime();
        }
        if (msg instanceof DecodeFailure failure) {
            fail(ctx, failure.reason());
        } else if (msg instanceof Frame.Hello hello) {
            if (connection == null) {
                hello(ctx, hello);
            } else {
                fail(ctx, "HELLO after the handshake");
            }
        } else if (msg instanceof Frame frame) {
            if (connection == null) {
                fail(ctx, frame.type() + " before HELLO");
            } else {
                route(ctx, frame);
            }
        }
    }

    private void route(ChannelHandlerContext ctx, Frame frame) {
        switch (frame.type()) {
            case HEARTBEAT, OK -> {
            }
            case HELLO_OK, DELIVER -> fail(ctx, frame.type() + " is sent only by a broker");
            case ERROR -> {
                Frame.Error error = (Frame.Error) frame;
                LOG.info("TERN-B0005 client {} (client id {}) reported {}: {}; closing", ctx.channel().remoteAddress(),
                        connection.clientId(), error.code(), error.message());
                failed = true;
                ctx.close();
            }
            default -> connection.submit(frame);
        }
    }

    private void hello(ChannelHandlerContext ctx, Frame.Hello hello) {
        String connectionId = broker.nextConnectionId();
        Frame answer = Handshake.answer(hello, broker.config(), broker.brokerVersion(), connectionId);
        if (answer instanceof Frame.Error error) {
            refuse(ctx, hello, error);
            return;
        }
        Frame.HelloOk ok = (Frame.HelloOk) answer;
        if (hello.clientId() != null && !broker.clientIds().claim(hello.clientId(), connectionId)) {
            refuse(ctx, hello, new Frame.Error(hello.correlationId(), ErrorCode.INVALID_CLIENT_ID,
                    "client id '" + hello.clientId() + "' is in use by another connection"));
            return;
        }
        decoder.setMaxFrameSize(ok.maxFrameSize());
        connection = new Connection(direct, connectionId, hello.clientId(), ok.maxFrameSize(), broker);
        ctx.writeAndFlush(ok);
        if (ok.heartbeatMillis() > 0) {
            startHeartbeat(ctx, ok.heartbeatMillis());
        }
        if (LOG.isInfoEnabled()) { // spares the argument array and boxing when nobody logs it
            LOG.info("TERN-B0002 connection {} from {} established (client id {}, user {}, max frame {}, heartbeat {}"
                    + " ms)", connectionId, ctx.channel().remoteAddress(), hello.clientId(), hello.username(),
                    ok.maxFrameSize(), ok.heartbeatMillis());
        }
    }

    private void startHeartbeat(ChannelHandlerContext ctx, int heartbeatMillis) {
        heartbeatCtx = ctx;
        heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        lastReadNanos = System.nanoTime();
        heartbeat = ctx.executor().scheduleAtFixedRate(this, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /** A heartbeat tick, on the event loop: see the class comment. */
    @Override
    public void run() {
        ChannelHandlerContext ctx = heartbeatCtx;
        if (!ctx.channel().isActive()) {
            heartbeat.cancel(false);
            return;
        }
        boolean wroteDirectly = direct.takeWrote(); // asked at every tick, since asking resets it
        if (System.nanoTime() - lastReadNanos >= 3 * heartbeatNanos) {
            LOG.warn("TERN-B0102 connection {} from {} (client id {}) sent nothing for 3 heartbeat intervals; closing",
                    connection.id(), ctx.channel().remoteAddress(), connection.clientId());
            heartbeat.cancel(false);
            ctx.close();
        } else if (!wrote && !wroteDirectly) {
            try {
                direct.execute(() -> ctx.writeAndFlush(Frame.Heartbeat.INSTANCE)); // behind frames handed over before
            } catch (RejectedExecutionException stopping) {
                heartbeat.cancel(false);
            }
        }
        wrote = false;
    }

    /**
     * Every frame the broker writes through the event loop passes here: it counts as traffic for the heartbeat (as
     * do frames written straight to the socket, which the {@link DirectWriter} counts).
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        wrote = true;
        ctx.write(msg, promise);
    }

    private void refuse(ChannelHandlerContext ctx, Frame.Hello hello, Frame.Error error) {
        LOG.warn("TERN-B0003 handshake from {} refused (client id {}, user {}): {} {}", ctx.channel().remoteAddress(),
                hello.clientId(), hello.username(), error.code(), error.message());
        failed = true;
        ProtocolViolation.closeWith(ctx.channel(), error);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        failed = true;
        if (connection == null) {
            ProtocolViolation.close(ctx.channel(), null, reason);
        } else {
            ProtocolViolation.close(direct, connection.clientId(), reason);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null && ctx.channel().isWritable()) {
            connection.resumeDispatch();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (connection != null) {
            connection.lost();
            if (LOG.isInfoEnabled()) {
                LOG.info("TERN-B0004 connection {} from {} closed (client id {})", connection.id(),
                        ctx.channel().remoteAddress(), connection.clientId());
            }
        } else {
            LOG.debug("TERN-B0004 connection from {} closed before its handshake", ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("TERN-B0006 I/O error on connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("TERN-B0007 unexpected error on connection from {}; closing it", ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
