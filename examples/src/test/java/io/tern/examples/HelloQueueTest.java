package io.tern.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HelloQueueTest {

    @Test
    void theMessageComesBackOverVm() throws Exception {
        assertThat(HelloQueue.roundTrip("vm://hello-example", "hi")).isEqualTo("hi");
    }

    @Test
    void theMessageComesBackOverTcpFromAStandaloneStyleBroker(@TempDir Path dataDir) throws Exception {
        Broker broker = new Broker(BrokerConfig.builder().name("example").port(0).tcpEnabled(true)
                .dataDir(dataDir).build());
        broker.start();
        try {
            assertThat(HelloQueue.roundTrip("tcp://127.0.0.1:" + broker.port(), "over tcp")).isEqualTo("over tcp");
        } finally {
            broker.stop();
        }
    }
}
