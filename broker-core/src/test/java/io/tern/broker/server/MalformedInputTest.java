package io.tern.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each bad input closes only the connection that sent it, with ERROR(PROTOCOL); a bystander keeps working. */
@Timeout(20)
class MalformedInputTest {
    private static final WireDestination Q = WireDestination.queue("q");

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private WireTestClient bystander;

    @BeforeEach
    void connectBystander() {
        bystander = broker.connected();
        bystander.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void bystanderStillWorks() {
        EndToEnd.check(bystander, 1, Q);
        bystander.close();
    }

    private static void assertProtocolErrorAndClose(WireTestClient client, String reasonPart) {
        Frame.Error error = client.expectError(0);
        assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL);
        assertThat(error.message()).contains(reasonPart);
        assertThat(client.awaitClosed(WireTestClient.TIMEOUT)).isTrue();
    }

    private static byte[] lengthField(long length) {
        return ByteBuffer.allocate(4).putInt((int) length).array();
    }

    @Test
    void oversizedLengthBeforeHandshake() {
        try (WireTestClient client = broker.tcpClient()) {
            client.sendRaw(lengthField(FrameDescriptor.HANDSHAKE_MAX_FRAME_SIZE + 1L));
            assertProtocolErrorAndClose(client, "exceeds the maximum frame size");
        }
    }

    @Test
    void oversizedLengthAfterHandshakeUsesNegotiatedLimit() {
        try (WireTestClient client = broker.vmClient()) {
            client.send(new Frame.Hello(1, 1, null, null, null, 2048, 0));
            assertThat(client.expect(Frame.HelloOk.class).maxFrameSize()).isEqualTo(2048);
            client.sendRaw(lengthField(2049));
            assertProtocolErrorAndClose(client, "2049");
        }
    }

    @Test
    void lengthShorterThanHeader() {
        try (WireTestClient client = broker.tcpClient()) {
            client.sendRaw(new byte[] {0, 0, 0, 4, 1, 0, 0, 0});
            assertProtocolErrorAndClose(client, "shorter than");
        }
    }

    @Test
    void unknownFrameType() {
        try (WireTestClient client = broker.tcpClient()) {
            client.sendRaw(new byte[] {0, 0, 0, 5, 0x7f, 0, 0, 0, 0});
            assertProtocolErrorAndClose(client, "unknown frame type");
        }
    }

    @Test
    void truncatedField() {
        byte[] hello = WireTestClient.encode(new Frame.Hello(1, 1, "client", null, null, 4096, 0));
        byte[] cut = Arrays.copyOf(hello, hello.length - 6);
        ByteBuffer.wrap(cut).putInt(0, cut.length - 4);
        try (WireTestClient client = broker.tcpClient()) {
            client.sendRaw(cut);
            assertProtocolErrorAndClose(client, "HELLO");
        }
    }

    @Test
    void trailingBytes() {
        byte[] hello = WireTestClient.encode(new Frame.Hello(1, 1, null, null, null, 4096, 0));
        byte[] longer = Arrays.copyOf(hello, hello.length + 3);
        ByteBuffer.wrap(longer).putInt(0, longer.length - 4);
        try (WireTestClient client = broker.tcpClient()) {
            client.sendRaw(longer);
            assertProtocolErrorAndClose(client, "trailing bytes");
        }
    }

    @Test
    void unknownEnumCode() {
        byte[] open = WireTestClient.encode(new Frame.SessionOpen(1, 1, SessionMode.AUTO_ACKNOWLEDGE));
        open[open.length - 1] = 9;
        try (WireTestClient client = broker.connected()) {
            client.sendRaw(open);
            assertProtocolErrorAndClose(client, "session mode");
        }
    }

    @Test
    void garbageEnvelopeInSend() {
        try (WireTestClient client = broker.connected()) {
            client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            client.send(new Frame.Send(5, 1, new byte[] {1, 2, 3}));
            assertProtocolErrorAndClose(client, "envelope");
        }
    }

    @Test
    void frameBeforeHello() {
        try (WireTestClient client = broker.tcpClient()) {
            client.send(new Frame.SessionOpen(1, 1, SessionMode.AUTO_ACKNOWLEDGE));
            assertProtocolErrorAndClose(client, "before HELLO");
        }
    }

    @Test
    void frameOnlyTheBrokerSends() {
        try (WireTestClient client = broker.connected()) {
            client.send(new Frame.Deliver(1, 1, 1, Messages.to(Q).text("x")));
            assertProtocolErrorAndClose(client, "only by a broker");
        }
    }

    @Test
    void secondHello() {
        try (WireTestClient client = broker.connected()) {
            client.send(new Frame.Hello(2, 1, null, null, null, 4096, 0));
            assertProtocolErrorAndClose(client, "HELLO after the handshake");
        }
    }
}
