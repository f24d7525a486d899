package io.tern.jms.wire;

/** A session's acknowledgement mode as the wire carries it. */
public enum SessionMode {
    TRANSACTED(0),
    AUTO_ACKNOWLEDGE(1),
    CLIENT_ACKNOWLEDGE(2),
    DUPS_OK_ACKNOWLEDGE(3);

    private final int code;

    SessionMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static SessionMode of(int code) {
        for (SessionMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        throw new MalformedFrameException("session mode: unknown code " + code);
    }
}
