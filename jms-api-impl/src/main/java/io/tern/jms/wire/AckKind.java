package io.tern.jms.wire;

/** What an {@link Frame.Ack} does with the deliveries it names. */
public enum AckKind {
    /** Consumed: remove the messages (in a transacted session, when the transaction commits). */
    CONSUMED(1),
    /** Never given to the application: return them to the destination without counting a delivery. */
    RELEASED(2),
    /** Given to the application but not acknowledged (Session.recover): deliver them again, flagged redelivered. */
    REDELIVER(3),
    /**
     * Session.recover and rollback: the broker takes back every delivery of the session not yet settled, counting
     * those named (the ones the application saw), and sends its consumers nothing more until they grant credit
     * again. Every delivery the client receives before the answer is one of those taken back.
     */
    RETURN_ALL(4);

    private final int code;

    AckKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AckKind of(int code) {
        for (AckKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new MalformedFrameException("ack kind: unknown code " + code);
    }
}
