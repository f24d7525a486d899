package io.tern.jms.wire;

/** How a destination is named on the wire: its kind byte, followed by its name. */
public enum DestinationKind {
    QUEUE(1),
    TOPIC(2),
    TEMPORARY_QUEUE(3),
    TEMPORARY_TOPIC(4);

    private final int code;

    DestinationKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isQueue() {
        return this == QUEUE || this == TEMPORARY_QUEUE;
    }

    public boolean isTemporary() {
        return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
    }

    static DestinationKind of(int code) {
        for (DestinationKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new MalformedFrameException("unknown destination kind " + code);
    }
}
