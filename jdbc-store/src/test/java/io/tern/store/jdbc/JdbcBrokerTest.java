package io.tern.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import io.tern.broker.store.BrokerRestartContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broker configured with {@code store=jdbc} (H2 by default) keeps persistent messages across a restart. */
class JdbcBrokerTest extends BrokerRestartContractTest {
    @Override
    protected Map<String, String> storeOptions() {
        return Map.of("store", "jdbc", "jdbc.pool-size", "4");
    }

    @Override
    protected void assertDataWritten(BrokerConfig config) {
        assertThat(JdbcStoreFactory.directory(config).resolve("tern.mv.db")).exists();
    }

    @Test
    void aDatabaseWithoutADialectStopsTheStartNamingIt() {
        BrokerConfig config = config("bad", Map.of("store", "jdbc", "jdbc.url", "jdbc:oracle:thin:@h:1521/x"));
        try (Broker broker = new Broker(config)) {
            assertThatThrownBy(broker::start).isInstanceOf(BrokerException.class)
                    .hasMessageContaining("jdbc:oracle:thin");
        }
    }
}
