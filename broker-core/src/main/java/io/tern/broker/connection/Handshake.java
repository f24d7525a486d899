package io.tern.broker.connection;

import io.tern.broker.BrokerConfig;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDescriptor;
import java.util.Objects;

/** The broker's answer to HELLO: checks version and credentials and negotiates frame size and heartbeat. */
public final class Handshake {
    private Handshake() {
    }

    /**
     * Answers a HELLO: a {@link Frame.HelloOk} with the negotiated values, or a {@link Frame.Error} the broker sends
     * before it closes the connection. Client id uniqueness is checked by the caller.
     */
    public static Frame answer(Frame.Hello hello, BrokerConfig config, String brokerVersion, String connectionId) {
        int corr = hello.correlationId();
        if (hello.protocolVersion() != FrameDescriptor.PROTOCOL_VERSION) {
            return new Frame.Error(corr, ErrorCode.UNSUPPORTED_VERSION, "protocol version "
                    + hello.protocolVersion() + " is not supported; this broker speaks version "
                    + FrameDescriptor.PROTOCOL_VERSION);
        }
        if (!config.users().isEmpty()) {
            String expected = hello.username() == null ? null : config.users().get(hello.username());
            if (expected == null || !Objects.equals(expected, hello.password())) {
                return new Frame.Error(corr, ErrorCode.SECURITY, hello.username() == null
                        ? "this broker does not allow anonymous connections"
                        : "user '" + hello.username() + "' is unknown or the password is wrong");
            }
        }
        if (hello.clientId() != null && hello.clientId().isBlank()) {
            return new Frame.Error(corr, ErrorCode.INVALID_CLIENT_ID, "the client id must not be blank");
        }
        return new Frame.HelloOk(corr, FrameDescriptor.PROTOCOL_VERSION, config.name(), brokerVersion, connectionId,
                maxFrameSize(hello.maxFrameSize(), config.maxFrameSize()),
                heartbeat(hello.heartbeatMillis(), config.heartbeatMillis()));
    }

    /** The smaller of the two offers, never below {@link FrameDescriptor#MIN_MAX_FRAME_SIZE}. */
    static int maxFrameSize(int client, int broker) {
        return Math.max(FrameDescriptor.MIN_MAX_FRAME_SIZE, Math.min(client, broker));
    }

    /** The smaller of two non-zero offers; 0 when either side wants no heartbeats. */
    static int heartbeat(int client, int broker) {
        return client <= 0 || broker <= 0 ? 0 : Math.min(client, broker);
    }
}
