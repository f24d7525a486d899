package io.tern.jms.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns bytes into {@link Frame}s: an explicit state machine with three states.
 * <ul>
 *   <li>{@code READ_LENGTH}: waits for the 4-byte length field and checks it against the size limit;</li>
 *   <li>{@code READ_FRAME}: waits for the whole frame, then decodes it with {@link FrameCodec};</li>
 *   <li>{@code BAD_FRAME}: after any failure, discards every byte that follows.</li>
 * </ul>
 * Size limits: a frame's length field must be at least {@link FrameDescriptor#HEADER_AFTER_LENGTH} and at most
 * the current maximum frame size ({@link #setMaxFrameSize}); the handshake lowers or raises it once the peers
 * have agreed. A bad frame is never thrown up the pipeline: the decoder passes a {@link DecodeFailure} naming the
 * problem and the handler closes the connection.
 * <p>
 * Every call consumes all the bytes it is given. A read that ends inside a frame leaves that frame's bytes in a
 * buffer of their own ({@code pending}, sized by the frame, or up to 4 bytes of a length field in
 * {@code partialLength}), so the read buffer goes back to the allocator at once. Left to
 * {@link ByteToMessageDecoder}, the read buffer would be kept and the next read appended to it: in a stream of
 * deliveries most reads end inside a frame, so that buffer doubled read after read (64 KiB, 128 KiB, ... copied
 * each time), and in a JVM with 512 MiB of direct memory or less, where Netty's allocator pools nothing over
 * 16,896 bytes, each growth was a fresh zeroed {@code ByteBuffer.allocateDirect}.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private enum State { READ_LENGTH, READ_FRAME, BAD_FRAME }

    /** The first capacity of a pending frame's buffer; a longer frame's buffer grows as its bytes arrive. */
    private static final int PENDING_FIRST_CAPACITY = 16 * 1024;

    private State state = State.READ_LENGTH;
    private int frameLength;
    private int partialLength;
    private int partialLengthBytes;
    private ByteBuf pending;
    private volatile int maxFrameSize;

    public FrameDecoder(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /** Sets the largest frame accepted from now on (bytes after the length field). */
    public void setMaxFrameSize(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case READ_LENGTH -> {
                    if (!readLength(in)) {
                        return;
                    }
                    String problem = FrameDescriptor.checkLength(Integer.toUnsignedLong(partialLength), maxFrameSize);
                    if (problem != null) {
                        fail(in, out, problem);
                        return;
                    }
                    frameLength = partialLength;
                    partialLength = 0;
                    state = State.READ_FRAME;
                }
                case READ_FRAME -> {
                    ByteBuf frameBytes = frameBytes(ctx, in);
                    if (frameBytes == null) {
                        return;
                    }
                    state = State.READ_LENGTH;
                    boolean own = frameBytes != in;
                    try {
                        out.add(FrameCodec.decode(own ? frameBytes : in.readSlice(frameLength)));
                    } catch (MalformedFrameException e) {
                        fail(in, out, e.getMessage());
                        return;
                    } finally {
                        if (own) {
                            frameBytes.release();
                        }
                    }
                }
                case BAD_FRAME -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    /** Reads the length field into {@link #partialLength}; false when {@code in} ends before its 4 bytes. */
    private boolean readLength(ByteBuf in) {
        if (partialLengthBytes == 0 && in.readableBytes() >= FrameDescriptor.LENGTH_FIELD_SIZE) {
            partialLength = in.readInt();
            return true;
        }
        while (partialLengthBytes < FrameDescriptor.LENGTH_FIELD_SIZE && in.isReadable()) {
            partialLength = partialLength << 8 | in.readUnsignedByte();
            partialLengthBytes++;
        }
        if (partialLengthBytes < FrameDescriptor.LENGTH_FIELD_SIZE) {
            return false;
        }
        partialLengthBytes = 0;
        return true;
    }

    /**
     * The current frame's bytes: {@code in} itself when it holds the whole frame, the pending buffer once it is
     * complete, or null when the frame is still incomplete (its bytes so far moved out of {@code in}).
     */
    private ByteBuf frameBytes(ChannelHandlerContext ctx, ByteBuf in) {
        if (pending == null) {
            if (in.readableBytes() >= frameLength) {
                return in;
            }
            if (!in.isReadable()) {
                return null;
            }
            pending = ctx.alloc().buffer(Math.min(frameLength, PENDING_FIRST_CAPACITY), frameLength);
        }
        pending.writeBytes(in, Math.min(frameLength - pending.readableBytes(), in.readableBytes()));
        if (pending.readableBytes() < frameLength) {
            return null;
        }
        ByteBuf complete = pending;
        pending = null;
        return complete;
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        state = State.BAD_FRAME;
        releasePending();
        in.skipBytes(in.readableBytes());
        out.add(new DecodeFailure(reason));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
