package io.tern.jms.provider;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Which Netty socket transport TCP connections use, in the client and in the broker: Linux's native epoll where its
 * library loads (fewer system calls and wake-ups per message than the JDK's selector, which a synchronous send pays
 * on every round trip), the JDK's NIO elsewhere. The system property {@code tern.transport.native=false} forces NIO.
 */
public enum SocketTransport {
    EPOLL, NIO;

    private static final SocketTransport CHOSEN = choose();

    /** The transport this JVM uses. */
    public static SocketTransport get() {
        return CHOSEN;
    }

    private static SocketTransport choose() {
        if (!Boolean.parseBoolean(System.getProperty("tern.transport.native", "true"))) {
            return NIO;
        }
        try {
            return Epoll.isAvailable() ? EPOLL : NIO;
        } catch (LinkageError e) { // the epoll classes are not on the class path
            return NIO;
        }
    }

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
