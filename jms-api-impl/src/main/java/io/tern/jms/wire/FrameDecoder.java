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
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private enum State { READ_LENGTH, READ_FRAME, BAD_FRAME }

    private State state = State.READ_LENGTH;
    private int frameLength;
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
                    if (in.readableBytes() < FrameDescriptor.LENGTH_FIELD_SIZE) {
                        return;
                    }
                    long length = in.readUnsignedInt();
                    String problem = FrameDescriptor.checkLength(length, maxFrameSize);
                    if (problem != null) {
                        fail(in, out, problem);
                        return;
                    }
                    frameLength = (int) length;
                    state = State.READ_FRAME;
                }
                case READ_FRAME -> {
                    if (in.readableBytes() < frameLength) {
                        return;
                    }
                    ByteBuf frameBytes = in.readSlice(frameLength);
                    state = State.READ_LENGTH;
                    try {
                        out.add(FrameCodec.decode(frameBytes));
                    } catch (MalformedFrameException e) {
                        fail(in, out, e.getMessage());
                        return;
                    }
                }
                case BAD_FRAME -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    private void fail(ByteBuf in, List<Object> out, String reason) {
        state = State.BAD_FRAME;
        in.skipBytes(in.readableBytes());
        out.add(new DecodeFailure(reason));
    }
}
