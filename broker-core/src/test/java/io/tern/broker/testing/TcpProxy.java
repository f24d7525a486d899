package io.tern.broker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 for network-failure tests: it forwards every connection to a target port and can be
 * cut on demand. {@link #cut()} resets every open connection on both sides at once (no goodbye, as when a cable is
 * pulled or a host dies); {@link #holdReplies(boolean)} swallows what the target sends back, to lose answers the
 * target has already acted on; {@link #refuse(boolean)} closes new connections at once, as a broker that is down.
 * Threads are daemons; close it in the test.
 */
public final class TcpProxy implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private volatile int targetPort;
    private volatile boolean holdReplies;
    private volatile boolean refuse;
    private volatile boolean closed;

    /** Listens on an ephemeral port of 127.0.0.1 and forwards to {@code 127.0.0.1:targetPort}. */
    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + COUNTER.incrementAndGet() + "-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:port} of the proxy, with extra URI parameters (may be empty). */
    public String url(String params) {
        return "tcp://127.0.0.1:" + port() + (params.isEmpty() ? "" : "?" + params);
    }

    /** Where new connections go from now on. */
    public void target(int port) {
        this.targetPort = port;
    }

    /** While true, bytes from the target are read and dropped instead of reaching the client. */
    public void holdReplies(boolean hold) {
        this.holdReplies = hold;
    }

    /** While true, new connections are closed as soon as they are accepted. */
    public void refuse(boolean refuse) {
        this.refuse = refuse;
    }

    /** Connections accepted (and forwarded) so far. */
    public long acceptedCount() {
        return accepted.get();
    }

    /** Connections open now. */
    public int openCount() {
        return links.size();
    }

    /** Resets every open connection on both sides (SO_LINGER 0: an RST, no FIN). */
    public void cut() {
        for (Link l : links) {
            l.reset();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refuse) {
                reset(client);
                continue;
            }
            Socket target = new Socket();
            try {
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            } catch (IOException e) {
                reset(client);
                reset(target);
                continue;
            }
            accepted.incrementAndGet();
            Link link = new Link(client, target);
            links.add(link);
            link.start();
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // not connected: plain close below
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** One proxied connection: a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket target;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            int n = COUNTER.incrementAndGet();
            pump(client, target, false, "tcp-proxy-" + n + "-up");
            pump(target, client, true, "tcp-proxy-" + n + "-down");
        }

        private void pump(Socket from, Socket to, boolean replies, String name) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (replies && holdReplies) {
                            continue;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side went away: take the other down too
                }
                reset();
            }, name);
            t.setDaemon(true);
            t.start();
        }

        void reset() {
            links.remove(this);
            TcpProxy.reset(client);
            TcpProxy.reset(target);
        }
    }
}
