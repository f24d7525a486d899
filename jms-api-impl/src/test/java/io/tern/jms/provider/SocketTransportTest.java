package io.tern.jms.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SocketTransportTest {

    @Test
    void linuxOnX86UsesTheNativeEpollTransport() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "the native library shipped is linux-x86_64");
        assumeTrue(Boolean.parseBoolean(System.getProperty("tern.transport.native", "true")));
        // The dependency's native library must load here: a broken or missing jar silently falls back to NIO.
        assertThat(SocketTransport.get()).isEqualTo(SocketTransport.EPOLL);
        assertThat(SocketTransport.get().socketChannel().getSimpleName()).isEqualTo("EpollSocketChannel");
    }

    @Test
    void nioIsTheFallback() {
        assertThat(SocketTransport.NIO.socketChannel().getSimpleName()).isEqualTo("NioSocketChannel");
        assertThat(SocketTransport.NIO.serverSocketChannel().getSimpleName()).isEqualTo("NioServerSocketChannel");
    }
}
