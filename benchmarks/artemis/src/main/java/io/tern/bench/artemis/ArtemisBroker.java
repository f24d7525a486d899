package io.tern.bench.artemis;

import io.tern.bench.driver.BrokerConsole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * ActiveMQ Artemis embedded with its NIO journal and its default durability (journal-sync-transactional,
 * journal-sync-non-transactional and journal-datasync on), security off, one acceptor on 127.0.0.1, data in
 * {@code -data DIR}. {@code -buffer-timeout-ns N} sets journal-buffer-timeout; without it Artemis keeps its library
 * default (3.33 ms for NIO), which its own {@code create} command would tune for the disk.
 */
public final class ArtemisBroker {
    private ArtemisBroker() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(BrokerConsole.option(args, "-data", "target/bench-data/artemis"));
        String bufferTimeout = BrokerConsole.option(args, "-buffer-timeout-ns", null);
        int port = freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("bench");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        if (bufferTimeout != null) {
            config.setJournalBufferTimeout_NIO(Integer.parseInt(bufferTimeout));
        }
        config.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port);
        EmbeddedActiveMQ server = new EmbeddedActiveMQ();
        server.setConfiguration(config);
        server.start();
        BrokerConsole.serve(port, () -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("bench broker: ActiveMQ Artemis did not stop cleanly: " + e);
            }
        });
    }

    /** Artemis does not report an ephemeral acceptor port back, so take a free one just before it binds. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
