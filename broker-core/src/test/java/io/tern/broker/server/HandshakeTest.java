package io.tern.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class HandshakeTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension(c -> c.heartbeatMillis(5_000).maxFrameSize(1 << 20)
            .users(Map.of("alice", "secret")));

    @Test
    void helloIsAnsweredWithNegotiatedValues() {
        try (WireTestClient client = broker.tcpClient()) {
            Frame.HelloOk ok = client.hello("c1", "alice", "secret", 10_000);
            assertThat(ok.protocolVersion()).isEqualTo(FrameDescriptor.PROTOCOL_VERSION);
            assertThat(ok.brokerName()).isEqualTo(broker.get().config().name());
            assertThat(ok.maxFrameSize()).isEqualTo(1 << 20);
            assertThat(ok.heartbeatMillis()).isEqualTo(5_000);
            assertThat(ok.connectionId()).isNotBlank();
        }
    }

    @Test
    void smallerClientOffersWinAndZeroHeartbeatTurnsThemOff() {
        try (WireTestClient client = broker.vmClient()) {
            client.send(new Frame.Hello(7, 1, null, "alice", "secret", 4096, 0));
            Frame.HelloOk ok = client.expect(Frame.HelloOk.class);
            assertThat(ok.correlationId()).isEqualTo(7);
            assertThat(ok.maxFrameSize()).isEqualTo(4096);
            assertThat(ok.heartbeatMillis()).isZero();
        }
    }

    @Test
    void connectionIdsAreUnique() {
        try (WireTestClient a = broker.tcpClient(); WireTestClient b = broker.tcpClient()) {
            assertThat(a.hello(null, "alice", "secret", 0).connectionId())
                    .isNotEqualTo(b.hello(null, "alice", "secret", 0).connectionId());
        }
    }

    @Test
    void unsupportedVersionIsRefusedNamingBothVersions() {
        try (WireTestClient client = broker.tcpClient()) {
            client.send(new Frame.Hello(1, 9, null, "alice", "secret", 4096, 0));
            Frame.Error error = client.expectError(1);
            assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            assertThat(error.message()).contains("9").contains("1");
            assertThat(client.awaitClosed(WireTestClient.TIMEOUT)).isTrue();
        }
    }

    @Test
    void badCredentialsAreRefused() {
        try (WireTestClient wrong = broker.tcpClient(); WireTestClient anonymous = broker.tcpClient()) {
            wrong.send(new Frame.Hello(1, 1, null, "alice", "guess", 4096, 0));
            assertThat(wrong.expectError(1).code()).isEqualTo(ErrorCode.SECURITY);
            assertThat(wrong.awaitClosed(WireTestClient.TIMEOUT)).isTrue();

            anonymous.send(new Frame.Hello(1, 1, null, null, null, 4096, 0));
            assertThat(anonymous.expectError(1).code()).isEqualTo(ErrorCode.SECURITY);
            assertThat(anonymous.awaitClosed(WireTestClient.TIMEOUT)).isTrue();
        }
    }

    @Test
    void duplicateClientIdIsRefusedInHelloAndInSetClientId() {
        try (WireTestClient first = broker.tcpClient(); WireTestClient second = broker.tcpClient();
             WireTestClient third = broker.vmClient()) {
            first.hello("shared", "alice", "secret", 0);

            second.send(new Frame.Hello(1, 1, "shared", "alice", "secret", 4096, 0));
            assertThat(second.expectError(1).code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(second.awaitClosed(WireTestClient.TIMEOUT)).isTrue();

            third.hello(null, "alice", "secret", 0);
            third.send(new Frame.SetClientId(5, "shared"));
            assertThat(third.expectError(5).code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(third.isOpen()).isTrue();
            third.send(new Frame.SetClientId(6, "other"));
            third.expectOk(6);
        }
    }

    @Test
    void clientIdIsFreedWhenItsConnectionCloses() {
        try (WireTestClient first = broker.tcpClient()) {
            first.hello("reused", "alice", "secret", 0);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (WireTestClient next = broker.tcpClient()) {
                next.send(new Frame.Hello(1, 1, "reused", "alice", "secret", 4096, 0));
                return next.poll(WireTestClient.TIMEOUT) instanceof Frame.HelloOk;
            }
        });
    }

    @Test
    void closeFrameIsAnswered() {
        try (WireTestClient client = broker.tcpClient()) {
            client.hello(null, "alice", "secret", 0);
            client.send(new Frame.Close(3));
            client.expectOk(3);
        }
    }

    @Test
    void aMessageLargerThanTheNegotiatedSizeAllowsIsRefusedWithoutDroppingTheConnection() {
        try (WireTestClient client = broker.tcpClient()) {
            client.send(new Frame.Hello(1, 1, null, "alice", "secret", 1024, 0));
            client.expect(Frame.HelloOk.class);
            client.openSession(1, io.tern.jms.wire.SessionMode.AUTO_ACKNOWLEDGE);
            byte[] tooBig = io.tern.broker.testing.Messages.to(io.tern.jms.wire.WireDestination.queue("q"))
                    .text("x".repeat(930));
            assertThat(tooBig.length).isLessThan(1024 - 13).isGreaterThan(FrameDescriptor.maxEnvelopeSize(1024));
            int corr = client.nextCorrelationId();
            client.send(new Frame.Send(corr, 1, tooBig));
            Frame.Error error = client.expectError(corr);
            assertThat(error.code()).isEqualTo(ErrorCode.RESOURCE_ALLOCATION);
            assertThat(error.message()).contains(String.valueOf(tooBig.length));
            client.openSession(2, io.tern.jms.wire.SessionMode.AUTO_ACKNOWLEDGE);
        }
    }
}
