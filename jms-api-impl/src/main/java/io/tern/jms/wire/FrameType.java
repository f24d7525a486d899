package io.tern.jms.wire;

/** The type byte of every frame. {@code docs/protocol.md} describes each one field by field. */
public enum FrameType {
    HELLO(0x01),
    HELLO_OK(0x02),
    OK(0x03),
    ERROR(0x04),
    HEARTBEAT(0x05),
    CLOSE(0x06),
    SET_CLIENT_ID(0x07),
    SESSION_OPEN(0x10),
    SESSION_CLOSE(0x11),
    CONSUMER_OPEN(0x12),
    CONSUMER_CLOSE(0x13),
    CREDIT(0x14),
    TEMP_CREATE(0x15),
    TEMP_DELETE(0x16),
    UNSUBSCRIBE(0x17),
    SEND(0x20),
    DELIVER(0x21),
    ACK(0x22),
    BROWSE_END(0x23),
    TX_COMMIT(0x30),
    TX_ROLLBACK(0x31),
    XA_START(0x40),
    XA_END(0x41),
    XA_PREPARE(0x42),
    XA_COMMIT(0x43),
    XA_ROLLBACK(0x44),
    XA_RECOVER(0x45),
    XA_FORGET(0x46),
    XA_RESULT(0x47),
    XA_RECOVER_OK(0x48);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a code, or null when the code names no frame type. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
