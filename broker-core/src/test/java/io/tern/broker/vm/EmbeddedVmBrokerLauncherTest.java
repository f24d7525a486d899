package io.tern.broker.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.provider.VmBrokerLauncher;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EmbeddedVmBrokerLauncherTest {

    private static VmBrokerLauncher launcher() {
        return ServiceLoader.load(VmBrokerLauncher.class).findFirst().orElseThrow();
    }

    @Test
    void isFoundByServiceLoaderAndStartsOneBrokerForManyCallers() throws Exception {
        String name = "launched-" + ProcessHandle.current().pid();
        VmBrokerLauncher launcher = launcher();
        assertThat(launcher).isInstanceOf(EmbeddedVmBrokerLauncher.class);
        try {
            List<CompletableFuture<Void>> calls = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.runAsync(() -> {
                try {
                    launcher.ensureStarted(name, Map.of("autoCreateDestinations", "false"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toList();
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            Broker broker = Broker.atVm(name).orElseThrow();
            assertThat(broker.port()).isEqualTo(-1);
            try (WireTestClient client = WireTestClient.vm(name)) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.send(new Frame.Send(1, 1, Messages.to(WireDestination.queue("none")).text("x")));
                assertThat(client.expectError(1).code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            }
        } finally {
            EmbeddedVmBrokerLauncher.stop(name);
        }
        assertThat(Broker.atVm(name)).isEmpty();
    }

    @Test
    void anExplicitBrokerIsUsedAsItIs() throws Exception {
        String name = "explicit-" + ProcessHandle.current().pid();
        try (Broker broker = new Broker(BrokerConfig.builder().name("explicit").vmName(name).port(0).store("memory").build())) {
            broker.start();
            launcher().ensureStarted(name, Map.of());
            assertThat(Broker.atVm(name)).containsSame(broker);
            try (WireTestClient client = WireTestClient.vm(name)) {
                assertThat(client.hello().brokerName()).isEqualTo("explicit");
            }
        }
    }
}
