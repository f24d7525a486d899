package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class StoreFactoryTest {
    @Test
    void theMemoryStoreIsFoundByName() {
        assertThat(StoreFactory.named("memory").open(BrokerConfig.defaults())).isInstanceOf(MemoryStore.class);
    }

    @Test
    void anUnknownStoreIsRefusedNamingItAndTheAvailableOnes(@TempDir Path dir) {
        assertThatThrownBy(() -> StoreFactory.named("floppy")).isInstanceOf(BrokerException.class)
                .hasMessageContaining("'floppy'").hasMessageContaining("memory");
        BrokerConfig config = BrokerConfig.builder().name("no-store").port(0).dataDir(dir).store("floppy").build();
        try (Broker broker = new Broker(config)) {
            assertThat(broker.storeKind()).isEqualTo("floppy");
            assertThatThrownBy(broker::start).isInstanceOf(BrokerException.class).hasMessageContaining("floppy");
            assertThat(broker.isStarted()).isFalse();
        }
    }

    @Test
    void aBrokerBuiltFromAConfigOpensItsStoreWhenItStarts(@TempDir Path dir) {
        try (Broker broker = new Broker(BrokerConfig.builder().name("factory").port(0).dataDir(dir).store("memory")
                .build())) {
            broker.start();
            assertThat(broker.storeKind()).isEqualTo("memory");
        }
    }
}
