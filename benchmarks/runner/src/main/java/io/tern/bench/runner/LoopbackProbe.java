package io.tern.bench.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The other physical limit under every scenario: how many 1 KiB frames per second one plain Java socket pushes over
 * 127.0.0.1 to a reader that discards them, in this JVM, one {@code write} per frame with TCP_NODELAY (as a client
 * that sends each message at once). No broker, no JMS, no encoding: the most any provider could move through one
 * connection on this machine.
 */
final class LoopbackProbe {
    static final int FRAME = 1024;

    /** Frames per second written (all of them read back) and the same as MiB/s. */
    record Limit(double framesPerSecond) {
        double mibPerSecond() {
            return framesPerSecond * FRAME / (1024.0 * 1024.0);
        }

        String describe() {
            return String.format(Locale.ROOT, "%,.0f frames of 1 KiB per second (%,.0f MiB/s) through one socket "
                    + "over 127.0.0.1", framesPerSecond, mibPerSecond());
        }
    }

    private LoopbackProbe() {
    }

    static Limit measure(long millis) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket writer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket reader = server.accept()) {
            writer.setTcpNoDelay(true);
            AtomicLong read = new AtomicLong();
            Thread drain = new Thread(() -> discard(reader, read), "bench-loopback-reader");
            drain.setDaemon(true);
            drain.start();
            byte[] frame = new byte[FRAME];
            OutputStream out = writer.getOutputStream();
            long frames = 0;
            long start = System.nanoTime();
            long end = start + millis * 1_000_000;
            long now = start;
            while (now < end) {
                for (int i = 0; i < 64; i++) {
                    out.write(frame);
                }
                frames += 64;
                now = System.nanoTime();
            }
            writer.shutdownOutput();
            drain.join(10_000);
            long elapsed = System.nanoTime() - start;
            if (read.get() != frames * FRAME) {
                throw new IOException("the loopback reader got " + read.get() + " bytes of " + frames * FRAME);
            }
            return new Limit(frames / (elapsed / 1e9));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void discard(Socket socket, AtomicLong read) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read.addAndGet(n);
            }
        } catch (IOException e) {
            // The count stays short and measure() says so.
        }
    }
}
