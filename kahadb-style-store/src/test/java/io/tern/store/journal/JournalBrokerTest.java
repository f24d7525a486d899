package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import io.tern.broker.store.BrokerRestartContractTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A broker configured with {@code store=journal} keeps persistent messages across a restart of the broker. */
class JournalBrokerTest extends BrokerRestartContractTest {
    private BrokerConfig config(String name) {
        return config(name, storeOptions());
    }

    @Override
    protected Map<String, String> storeOptions() {
        return Map.of("store", "journal", "journal.file-size", "65536");
    }

    @Override
    protected void assertDataWritten(BrokerConfig config) {
        assertThat(JournalStoreFactory.directory(config).resolve("db-1.log")).exists();
    }

    @Test
    void aSecondBrokerOnTheSameDataDirWithoutStandbyDoesNotStartAndSaysWhy() {
        try (Broker first = new Broker(config("first"))) {
            first.start();
            try (Broker second = new Broker(config("second").toBuilder().standby(false).build())) {
                assertThatThrownBy(second::start).isInstanceOf(BrokerException.class)
                        .hasMessageContaining("journal").hasMessageContaining(dir.toString())
                        .hasMessageContaining("in use");
            }
        }
    }

    @Test
    void aBadStoreOptionStopsTheStartNamingIt() {
        BrokerConfig config = BrokerConfig.builder().name("bad").port(0).dataDir(dir).store("journal")
                .storeOption("journal.sync", "sometimes").build();
        try (Broker broker = new Broker(config)) {
            assertThatThrownBy(broker::start).isInstanceOf(BrokerException.class)
                    .hasMessageContaining("sometimes");
        }
    }
}
