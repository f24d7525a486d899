package io.tern.store.jdbc;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;

/** {@link LeaseLossContract} on an H2 TCP server in this JVM. */
class H2LeaseLossTest extends LeaseLossContract {
    private Server server;

    @Override
    int databasePort() throws Exception {
        if (server == null) {
            server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        }
        return server.getPort();
    }

    @Override
    String url(int port) {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/lease";
    }

    @Override
    String user() {
        return null;
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }
}
