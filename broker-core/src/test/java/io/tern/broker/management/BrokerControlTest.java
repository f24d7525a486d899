package io.tern.broker.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The broker's JMX control, read through the platform MBean server the way jconsole or jmxterm read it. */
class BrokerControlTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    private static BrokerConfig config(String name) {
        return BrokerConfig.builder().name(name).port(0).store("memory").build();
    }

    @Test
    void aRunningBrokerIsRegisteredWithItsStoreSpaceAndGoneWhenStopped() throws Exception {
        ObjectName name = BrokerControl.objectName("jmx-test");
        try (Broker broker = new Broker(config("jmx-test"))) {
            broker.start();
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.getAttribute(name, "Name")).isEqualTo("jmx-test");
            assertThat(server.getAttribute(name, "StoreKind")).isEqualTo("memory");
            assertThat(server.getAttribute(name, "ConnectionCount")).isEqualTo(0);
            assertThat((long) server.getAttribute(name, "StoreUsedBytes")).isZero();
            String[] lines = (String[]) server.invoke(name, "describeStoreSpace", new Object[0], new String[0]);
            assertThat(lines).singleElement().asString().startsWith("heap: 0 bytes in 0 messages");
            broker.stop();
            assertThat(server.isRegistered(name)).isFalse();
        }
    }

    @Test
    void aSecondBrokerOfTheSameNameRunsUnregisteredAndLeavesTheFirstInPlace() {
        try (Broker first = new Broker(config("jmx-twin").toBuilder().vmName("jmx-twin-1").build());
             Broker second = new Broker(config("jmx-twin").toBuilder().vmName("jmx-twin-2").build())) {
            first.start();
            second.start();
            assertThat(second.isStarted()).isTrue();
            second.stop();
            assertThat(server.isRegistered(BrokerControl.objectName("jmx-twin"))).isTrue();
            first.stop();
            assertThat(server.isRegistered(BrokerControl.objectName("jmx-twin"))).isFalse();
        }
    }
}
