package io.tern.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.Frame;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class HeartbeatTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(c -> c.heartbeatMillis(100));

    @Test
    void brokerSendsHeartbeatsAndClosesASilentPeer() {
        try (WireTestClient client = broker.tcpClient().keepHeartbeats(true)) {
            assertThat(client.hello(null, null, null, 100).heartbeatMillis()).isEqualTo(100);
            client.expect(Frame.Heartbeat.class, Duration.ofSeconds(2));
            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aPeerThatSendsHeartbeatsStaysConnected() {
        try (WireTestClient client = broker.tcpClient()) {
            client.hello(null, null, null, 100);
            long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
            while (System.nanoTime() < until) {
                client.send(Frame.Heartbeat.INSTANCE);
                assertThat(client.awaitClosed(Duration.ofMillis(50))).isFalse();
            }
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void heartbeatsKeepComingWhileThePeerTalksAndAPeerThatFallsSilentLaterIsClosed() {
        // One timer per connection: it must fire again and again, not once, and the reader side must keep watching
        // after the peer has talked.
        try (WireTestClient client = broker.tcpClient().keepHeartbeats(true)) {
            client.hello(null, null, null, 100);
            for (int i = 0; i < 3; i++) {
                client.send(Frame.Heartbeat.INSTANCE);
                client.expect(Frame.Heartbeat.class, Duration.ofSeconds(2));
            }
            assertThat(client.isOpen()).isTrue();
            assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aConnectionThatClosesStopsItsHeartbeatAndTheNextOneHasItsOwn() {
        try (WireTestClient first = broker.tcpClient().keepHeartbeats(true)) {
            first.hello(null, null, null, 100);
            first.expect(Frame.Heartbeat.class, Duration.ofSeconds(2));
        }
        try (WireTestClient second = broker.tcpClient().keepHeartbeats(true)) {
            second.hello(null, null, null, 100);
            second.expect(Frame.Heartbeat.class, Duration.ofSeconds(2));
            second.send(Frame.Heartbeat.INSTANCE);
            second.expect(Frame.Heartbeat.class, Duration.ofSeconds(2));
        }
    }

    @Test
    void noHeartbeatsWhenTheClientWantsNone() {
        try (WireTestClient client = broker.tcpClient().keepHeartbeats(true)) {
            assertThat(client.hello(null, null, null, 0).heartbeatMillis()).isZero();
            client.expectNothing(Duration.ofMillis(500));
            assertThat(client.isOpen()).isTrue();
        }
    }
}
