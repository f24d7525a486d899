package io.tern.broker.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import io.tern.broker.connection.BrokerContext;
import io.tern.broker.connection.DirectWriter;
import io.tern.jms.provider.LeakDetection;
import io.tern.jms.provider.SocketTransport;
import io.tern.jms.provider.VmAddress;
import io.tern.jms.wire.FrameDecoder;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.FrameEncoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The broker's acceptors: TCP on {@code host:port} (unless disabled) and Netty's in-JVM transport on
 * {@code vm://vmName}. Netty 4.2 runs local channels only on {@code LocalIoHandler} event loops, so each transport
 * has its own event loop group. Each accepted channel gets the pipeline {@link DirectWriter} → decoder → encoder →
 * flush consolidation → {@link FrameHandler} (which also keeps the heartbeat).
 */
public final class Server {
    /** The system property that turns Netty's allocator JFR events on or off, see {@link #NETTY_JFR_DEFAULT}. */
    static final String NETTY_JFR = "io.netty.jfr.enabled";
    /**
     * Netty's allocator JFR events are off unless {@code -Dio.netty.jfr.enabled=true} is given. Netty turns them on
     * whenever the JDK has JFR, even with no recording: then the first buffer it allocates (the first connection's
     * first read) loads its event classes, and the JDK instruments each with ASM, reflection and annotation
     * proxies. On a fresh broker that one-time work was about 10 MiB of the RSS growth with the first 1,000
     * connections: 50 JFR classes, garbage, and a C2 compilation of ASM that leaves its compiler arenas behind. Set
     * before any Netty class is initialized (this class is loaded before the broker touches Netty); a JVM that set
     * the property, or whose Netty was already running, keeps what it has.
     */
    static final String NETTY_JFR_DEFAULT = "false";

    static {
        defaultNettyJfr();
        LeakDetection.offUnlessAsked();
    }

    /** Sets {@link #NETTY_JFR} to its default unless the JVM was given a value. */
    static void defaultNettyJfr() {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, NETTY_JFR_DEFAULT);
        }
    }

    /**
     * Netty's default read-size policy (2 KiB first, then adapting between 64 B and 64 KiB), one instance for every
     * connection: by default each channel made its own, though only the per-channel handle holds state.
     */
    private static final RecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator();

    private final BrokerContext broker;
    private final BrokerConfig config;
    private final ChannelGroup channels = new DefaultChannelGroup("tern-broker", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private EventLoopGroup localGroup;
    private int port = -1;

    public Server(BrokerContext broker) {
        this.broker = broker;
        this.config = broker.config();
    }

    /** Binds the acceptors. */
    public void start() {
        group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tern-io-" + config.name(), true),
                SocketTransport.get().ioHandlerFactory());
        localGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tern-vm-" + config.name(), true),
                LocalIoHandler.newFactory());
        try {
            if (config.tcpEnabled()) {
                Channel tcp = bind(group, SocketTransport.get().serverSocketChannel(),
                        new InetSocketAddress(config.host(), config.port()), config.host() + ":" + config.port());
                port = ((InetSocketAddress) tcp.localAddress()).getPort();
            }
            bind(localGroup, LocalServerChannel.class, VmAddress.of(config.vmName()), "vm://" + config.vmName());
        } catch (BrokerException e) {
            stop();
            throw e;
        }
    }

    /** The bound TCP port, or -1 when TCP is off or the server is not started. */
    public int port() {
        return port;
    }

    /** Open client connections. */
    public int connectionCount() {
        return (int) channels.stream().filter(c -> !(c instanceof ServerChannel)).count();
    }

    /**
     * Closes the acceptors and every connection, and stops the event loops. Safe to call again and from any thread
     * (a broker that lost its store's lock calls it from the lock's).
     */
    public synchronized void stop() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (EventLoopGroup g : new EventLoopGroup[] {group, localGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
        group = null;
        localGroup = null;
        port = -1;
    }

    private Channel bind(EventLoopGroup loops, Class<? extends ServerChannel> type, SocketAddress address,
                         String shown) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(type).childHandler(initializer())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_SIZES);
        if (type != LocalServerChannel.class) {
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        }
        if (type != LocalServerChannel.class
                && UnixChannel.class.isAssignableFrom(SocketTransport.get().socketChannel())) {
            // the client's close then comes as an event before the socket closes: see DirectWriter
            bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new BrokerException("broker '" + config.name() + "' cannot listen on " + shown + ": "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
        }
        channels.add(bound.channel());
        return bound.channel();
    }

    private ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                FrameDecoder decoder = new FrameDecoder(FrameDescriptor.HANDSHAKE_MAX_FRAME_SIZE);
                DirectWriter direct = new DirectWriter(ch);
                ch.pipeline()
                        .addLast("direct", direct)
                        .addLast("decoder", decoder)
                        .addLast("encoder", FrameEncoder.INSTANCE)
                        .addLast("flush", new FlushConsolidationHandler(256, true))
                        .addLast("frames", new FrameHandler(broker, decoder, direct));
            }
        };
    }
}
