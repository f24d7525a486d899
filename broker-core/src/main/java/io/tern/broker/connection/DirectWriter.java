package io.tern.broker.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.FileDescriptor;
import io.tern.jms.provider.StraightWrite;
import io.tern.jms.wire.Frame;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Lets a thread other than a client channel's event loop write a frame straight to the socket, so that the loop need
 * not wake for it: a send's answer completed by the journal's threads, an acknowledgement's or a commit's answered on
 * a worker. On this kind of machine a thread wake-up is the main cost of a small frame.
 *
 * <p>The rules that keep the byte stream whole and in order:
 * <ul>
 *   <li>Every write to the channel goes either straight to the socket, under this object's lock, or through a task
 *       {@linkplain #execute handed to the event loop} by this object (the connection's frames, the heartbeat), which
 *       is counted from the moment it is handed over until it has run.</li>
 *   <li>A frame goes straight to the socket only while no such task is counted and Netty holds no byte unwritten for
 *       the channel. So it follows every frame written before it; and the loop, which writes only inside a counted
 *       task or what Netty holds, never writes while a frame goes straight out. (A frame that comes close behind the
 *       connection's previous one goes through the loop anyway: see {@link StraightWrite#DENSE_NANOS};
 *       {@link #tryWrite} lets the second of two such frames go straight, a delivery right behind a send's answer,
 *       and leaves a run's third to the caller's outbox.)</li>
 *   <li>What a partial write leaves (the socket's buffer is full) goes to the loop as a counted task, ahead of any
 *       later frame.</li>
 *   <li>Every close of the socket first stops these writes under the same lock, so none reaches a descriptor number
 *       the process has closed and perhaps given to another file: a close through the pipeline passes this handler
 *       (it sits first); an I/O error is reported here before Netty closes; the client's close arrives as an
 *       input-shutdown event before the socket closes (half-closure is allowed), and this handler closes it then; a
 *       write error closes the socket while Netty still holds the failed bytes, and the close is seen here before it
 *       lets them go.</li>
 * </ul>
 * Over transports other than native epoll TCP nothing goes straight to the socket: {@link #write} hands every frame to
 * the loop, as before.
 */
public final class DirectWriter extends ChannelDuplexHandler {
    private final Channel channel;
    private final Object lock = new Object();
    /** How close behind the previous frame a frame counts as dense: {@link StraightWrite#DENSE_NANOS}. */
    private final long denseNanos;
    /** The socket's descriptor while frames may go straight to it; null otherwise. Changed under the lock. */
    private FileDescriptor fd;
    /** Writing tasks handed to the event loop and not yet run. Under the lock. */
    private int onLoop;
    /** When a frame was last written or handed to the loop ({@link System#nanoTime}). Under the lock. */
    private long lastWriteNanos;
    /** The last frame came close behind the one before it (within {@link #denseNanos}). Under the lock. */
    private boolean lastClose;
    /** A frame went straight to the socket since {@link #takeWrote} was last asked. Under the lock. */
    private boolean wrote;

    public DirectWriter(Channel channel) {
        this(channel, StraightWrite.DENSE_NANOS);
    }

    /** @param denseNanos how close behind the previous frame a frame counts as dense (tests widen it) */
    DirectWriter(Channel channel, long denseNanos) {
        this.channel = channel;
        this.denseNanos = denseNanos;
        this.fd = StraightWrite.descriptor(channel);
    }

    public Channel channel() {
        return channel;
    }

    /** True while frames may go straight to the socket (native epoll TCP, channel not closed). */
    public boolean enabled() {
        synchronized (lock) {
            return fd != null;
        }
    }

    /**
     * Writes a frame from a thread other than the event loop: straight to the socket when the rules above allow,
     * else through the loop, after everything handed to it before.
     *
     * @return true when the frame went straight to the socket whole ({@code promise} is then left alone); false when
     *         the loop writes it, or what is left of it, and completes {@code promise}
     */
    public boolean write(Frame frame, ChannelPromise promise) {
        Throwable failure = null;
        synchronized (lock) {
            FileDescriptor f = straightAllowed(false);
            ByteBuf rest = null;
            if (f != null) {
                try {
                    rest = writeStraight(f, frame);
                    if (rest == null) {
                        return true;
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure == null) {
                Object message = rest != null ? rest : frame; // rest: what the socket did not take
                try {
                    handOver(() -> channel.writeAndFlush(message, promise));
                    return false;
                } catch (RejectedExecutionException stopping) {
                    if (rest != null) {
                        rest.release();
                    }
                    failure = stopping;
                }
            }
        }
        // not under the lock: a promise's listeners may write to other connections
        promise.tryFailure(failure);
        if (failure instanceof IOException) {
            channel.close();
        }
        return false;
    }

    /**
     * Writes a frame straight to the socket from a thread other than the event loop when the rules above allow it
     * now (close behind the previous frame too, unless that one was close behind its own); otherwise does nothing,
     * so that the caller hands the frame to the loop its own way (an outbox that writes many frames a wake-up). What
     * a partial write leaves goes to the loop ahead of any later frame.
     *
     * @return true when the frame is written (or its rest queued, or the connection is closing on a write error);
     *         false when nothing was done
     */
    public boolean tryWrite(Frame frame) {
        synchronized (lock) {
            FileDescriptor f = straightAllowed(true);
            if (f == null) {
                return false;
            }
            try {
                ByteBuf rest = writeStraight(f, frame);
                if (rest != null) {
                    try {
                        handOver(() -> channel.writeAndFlush(rest, channel.voidPromise()));
                    } catch (RejectedExecutionException stopping) {
                        rest.release();
                    }
                }
                return true;
            } catch (IOException e) {
                // straight writes have stopped; close below
            }
        }
        // not under the lock; the frame is lost with the connection, whose deliveries come back when it ends
        channel.close();
        return true;
    }

    /**
     * Runs a task that writes to the channel on its event loop, after every write handed over before; no frame goes
     * straight to the socket until it has run and Netty has written what it wrote. Any thread, the loop's too.
     *
     * @throws RejectedExecutionException the event loop is shutting down
     */
    public void execute(Runnable writing) {
        synchronized (lock) {
            paced(System.nanoTime());
            handOver(writing);
        }
    }

    /**
     * Under the lock: the socket's descriptor when a frame may go straight to it now (the rules above, and not close
     * behind the previous write, or with {@code pairs} not the third of a close run), else null. Counts as a write
     * for the next frame's density check either way.
     */
    private FileDescriptor straightAllowed(boolean pairs) {
        boolean closeBefore = lastClose;
        boolean close = paced(System.nanoTime());
        boolean dense = close && (!pairs || closeBefore);
        return fd != null && !dense && onLoop == 0 && nothingHeld() ? fd : null;
    }

    /** Under the lock: notes a write at {@code now}; true when it comes close behind the previous one. */
    private boolean paced(long now) {
        boolean close = now - lastWriteNanos <= denseNanos;
        lastClose = close;
        lastWriteNanos = now;
        return close;
    }

    /**
     * Under the lock: writes a frame to the socket, returning what the socket did not take (null when it took it
     * all).
     *
     * @throws IOException the socket failed; no frame goes straight to it again
     */
    private ByteBuf writeStraight(FileDescriptor f, Frame frame) throws IOException {
        try {
            ByteBuf rest = StraightWrite.write(f, channel.alloc(), frame);
            wrote = true;
            return rest;
        } catch (IOException e) {
            fd = null;
            throw e;
        }
    }

    /**
     * Under the lock: hands a writing task to the event loop, counted until it has run.
     *
     * @throws RejectedExecutionException the event loop is shutting down (nothing is counted)
     */
    private void handOver(Runnable writing) {
        onLoop++;
        try {
            channel.eventLoop().execute(countedTask(writing));
        } catch (RejectedExecutionException stopping) {
            onLoop--;
            throw stopping;
        }
    }

    /** Runs {@code writing}, then stops counting it. */
    private Runnable countedTask(Runnable writing) {
        return () -> {
            try {
                writing.run();
            } finally {
                synchronized (lock) {
                    onLoop--;
                }
            }
        };
    }

    /** Netty holds no byte for this channel that is not yet written (and the channel is not closing). */
    private boolean nothingHeld() {
        ChannelOutboundBuffer held = channel.unsafe().outboundBuffer(); // null once Netty closes the channel
        return held != null && held.totalPendingWriteBytes() == 0;
    }

    /** True when a frame went straight to the socket since the last call (the heartbeat's notion of traffic). */
    public boolean takeWrote() {
        synchronized (lock) {
            boolean w = wrote;
            wrote = false;
            return w;
        }
    }

    /** No more frames go straight to the socket: call before anything closes it. Waits for one under way. */
    private void stop() {
        synchronized (lock) {
            fd = null;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // a write error closes the socket without an event first: Netty then still holds the failed bytes (so
        // nothing went straight out since) and completes the close future before it lets them go
        ctx.channel().closeFuture().addListener(closed -> stop());
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        stop();
        super.close(ctx, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        stop(); // Netty reports a read error before it closes the socket
        super.exceptionCaught(ctx, cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt instanceof ChannelInputShutdownEvent) {
            // the client closed its side: half-closure is allowed so that this comes before the socket closes
            stop();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }
}
