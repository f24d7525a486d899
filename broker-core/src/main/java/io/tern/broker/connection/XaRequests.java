package io.tern.broker.connection;

import io.tern.broker.session.Branches;
import io.tern.broker.session.Session;
import io.tern.broker.session.XaOutcome;
import io.tern.jms.wire.ErrorCode;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.XaCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/** One connection's XA requests: turns XA_* frames into calls on the broker's {@link Branches} and answers them. */
final class XaRequests {
    /** How the connection answers a request with ERROR. */
    @FunctionalInterface
    interface ErrorReply {
        void send(int corr, ErrorCode code, String message);
    }

    private final String connectionId;
    private final Branches branches;
    private final Consumer<Frame> out;
    private final IntFunction<Session> sessions;
    private final ErrorReply error;

    XaRequests(String connectionId, Branches branches, Consumer<Frame> out, IntFunction<Session> sessions,
               ErrorReply error) {
        this.connectionId = connectionId;
        this.branches = branches;
        this.out = out;
        this.sessions = sessions;
        this.error = error;
    }

    void handle(Frame frame) {
        switch (frame.type()) {
            case XA_START -> {
                Frame.XaStart f = (Frame.XaStart) frame;
                Session s = session(f.sessionId(), f.correlationId());
                if (s != null && s.isTransacted()) {
                    answer(f.correlationId(), new XaOutcome(XaCode.XAER_PROTO, "session " + f.sessionId()
                            + " is transacted locally; a global transaction needs a session that is not"));
                } else if (s != null) {
                    answer(f.correlationId(), branches.start(s, connectionId, f.xid(), f.flags(), f.timeoutSeconds()));
                }
            }
            case XA_END -> {
                Frame.XaEnd f = (Frame.XaEnd) frame;
                Session s = sessions.apply(f.sessionId());
                // a session closed inside its branch ended its association then; the branch goes on
                answer(f.correlationId(), s != null ? branches.end(s, f.xid(), f.flags())
                        : branches.endClosed(f.xid(), f.flags()));
            }
            case XA_PREPARE -> answerLater(frame.correlationId(), branches.prepare(((Frame.XaPrepare) frame).xid()));
            case XA_COMMIT -> {
                Frame.XaCommit f = (Frame.XaCommit) frame;
                answerLater(f.correlationId(), branches.commit(f.xid(), f.onePhase()));
            }
            case XA_ROLLBACK -> answerLater(frame.correlationId(), branches.rollback(((Frame.XaRollback) frame).xid()));
            case XA_FORGET -> answerLater(frame.correlationId(), branches.forget(((Frame.XaForget) frame).xid()));
            case XA_RECOVER -> out.accept(new Frame.XaRecoverOk(frame.correlationId(),
                    branches.prepared()));
            default -> throw new IllegalArgumentException(frame.type() + " is not an XA request");
        }
    }

    private Session session(int sessionId, int corr) {
        Session s = sessions.apply(sessionId);
        if (s == null) {
            error.send(corr, ErrorCode.ILLEGAL_STATE, "session " + sessionId + " does not exist");
        }
        return s;
    }

    private void answerLater(int corr, CompletableFuture<XaOutcome> outcome) {
        outcome.thenAccept(o -> answer(corr, o));
    }

    private void answer(int corr, XaOutcome outcome) {
        out.accept(new Frame.XaResult(corr, outcome.code(), outcome.message()));
    }
}
