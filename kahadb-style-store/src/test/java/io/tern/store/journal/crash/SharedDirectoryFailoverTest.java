package io.tern.store.journal.crash;

import io.tern.broker.store.SharedStoreFailoverContractTest;
import java.time.Duration;
import java.util.List;

/**
 * Two broker JVMs on one journal directory: the lock file decides which is active. The OS frees the lock when the
 * active broker's process dies, so the standby takes over at its next try (every 100 ms here) plus its recovery.
 */
class SharedDirectoryFailoverTest extends SharedStoreFailoverContractTest {
    @Override
    protected List<String> storeSettings() {
        return List.of("-Dtern.store=journal");
    }

    @Override
    protected Duration takeOverWithin() {
        return Duration.ofSeconds(20);
    }
}
