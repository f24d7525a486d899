package io.tern.jms.provider;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameCodec;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A frame written to a socket's descriptor by a thread other than the channel's event loop, sparing the loop a
 * wake-up: what the client's sending thread ({@link NettyProvider}) and the broker's completing threads (its
 * {@code DirectWriter}) share. Each keeps its own rules for when it may, so that frames keep their order and none
 * reaches a descriptor the process has closed.
 */
public final class StraightWrite {
    /**
     * A frame that follows the connection's previous one by less than this goes through the event loop even when it
     * could go straight to the socket: frames that come this densely (a stream of non-persistent sends, or of the
     * answers to paced ones) are written many to a system call there, where one each would cost the writing thread
     * more than the loop's wake-up saves.
     */
    public static final long DENSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private StraightWrite() {
    }

    /**
     * The socket's descriptor when frames may be written straight to it, else null: a native epoll channel with
     * half-closure allowed (so that the peer's close comes as an event before the socket closes) whose allocator gives
     * direct buffers an address (the address is what the kernel is given).
     */
    public static FileDescriptor descriptor(Channel channel) {
        if (!(channel instanceof UnixChannel unix)
                || !Boolean.TRUE.equals(channel.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE))) {
            return null;
        }
        ByteBuf probe = channel.alloc().directBuffer(1);
        boolean addressable = probe.hasMemoryAddress();
        probe.release();
        return addressable ? unix.fd() : null;
    }

    /**
     * Encodes a frame and writes it to the descriptor.
     *
     * @return null when the socket took it all; else what it did not take (its buffer was full), which the caller
     *         owns and hands to the event loop ahead of any later frame
     * @throws IOException the write failed; nothing is left to release
     */
    public static ByteBuf write(FileDescriptor fd, ByteBufAllocator alloc, Frame frame) throws IOException {
        ByteBuf buf = alloc.directBuffer(FrameCodec.sizeHint(frame));
        try {
            FrameCodec.encode(frame, buf);
            buf.skipBytes(fd.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex()));
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        if (buf.isReadable()) {
            return buf;
        }
        buf.release();
        return null;
    }
}
