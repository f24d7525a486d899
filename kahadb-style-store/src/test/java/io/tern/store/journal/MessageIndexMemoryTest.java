package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the heap a 1,000,000-message index takes, as the difference in used heap after a full GC. Off by default
 * (a measurement, sensitive to what else the JVM does); run it with
 * {@code ./mvnw -B -q test -pl jms-api-impl,broker-core,kahadb-style-store -Dtest=MessageIndexMemoryTest
 * -Dtern.index.memory=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(120)
@EnabledIfSystemProperty(named = "tern.index.memory", matches = "true")
class MessageIndexMemoryTest {
    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void aMillionMessagesTakeAbout20BytesEachOnTheHeap() {
        int n = 1_000_000;
        long before = usedAfterGc();
        MessageIndex index = new MessageIndex();
        for (long id = 1; id <= n; id++) {
            index.put("orders", id, new Location(1 + (int) (id / 30_000), 16 + id * 1100 % 33_000_000, 1024));
        }
        long after = usedAfterGc();
        double perMessage = (double) (after - before) / n;
        System.out.printf("index: %.1f bytes per message measured on the heap (%,d messages; estimate %.1f)%n",
                perMessage, index.size(), (double) index.estimatedBytes() / n);
        assertThat(index.size()).isEqualTo(n);
        assertThat(perMessage).isLessThan(32);
    }
}
