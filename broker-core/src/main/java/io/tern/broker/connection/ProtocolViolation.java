package io.tern.broker.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends a connection that broke the protocol: one log line, ERROR(PROTOCOL) with correlation id 0, close. */
public final class ProtocolViolation {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolViolation.class);

    private ProtocolViolation() {
    }

    public static void close(Channel channel, String clientId, String reason) {
        LOG.warn("TERN-B0101 protocol error from {} (client id {}): {}; closing the connection",
                channel.remoteAddress(), clientId, reason);
        closeWith(channel, new Frame.Error(0, ErrorCode.PROTOCOL, reason));
    }

    /**
     * The same on a connection past its handshake, whose frames go through a {@link DirectWriter}: the error follows
     * every frame written before. Any thread.
     */
    public static void close(DirectWriter direct, String clientId, String reason) {
        Channel channel = direct.channel();
        try {
            direct.execute(() -> close(channel, clientId, reason));
        } catch (RejectedExecutionException stopping) {
            channel.close(); // the broker is stopping
        }
    }

    /** Writes {@code error}, then closes the channel. */
    public static void closeWith(Channel channel, Frame.Error error) {
        channel.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
    }
}
