package io.tern.jms.client;

import io.tern.jms.wire.Frame;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} of one {@link TernXASession}. Every call is one request to the broker, which keeps the
 * branches; a refusal comes back as the {@link XAException} error code the broker chose (XAER_NOTA, XAER_PROTO,
 * XAER_DUPID, XAER_INVAL, XAER_RMERR, XA_RB* such as XA_RBTIMEOUT, XA_HEURCOM, XA_HEURRB, XA_HEURMIX, XA_HEURHAZ),
 * and a lost or unanswering connection is XAER_RMFAIL. Prepare, commit, rollback,
 * recover and forget may be called after the session has closed, as long as its connection is open.
 */
public final class TernXAResource implements XAResource {
    private static final int SCAN_FLAGS = TMSTARTRSCAN | TMENDRSCAN;

    private final TernXASession session;
    /** Seconds a branch this resource starts may stay unprepared; 0 for the broker's default. */
    private volatile int timeoutSeconds;

    TernXAResource(TernXASession session) {
        this.session = session;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        WireXid x = wire(xid);
        int timeout = flags == TMNOFLAGS ? timeoutSeconds : 0;
        call(corr -> new Frame.XaStart(corr, session.id(), x, flags, timeout), "starting branch " + x);
        session.globalTransaction(true);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        WireXid x = wire(xid);
        try {
            call(corr -> new Frame.XaEnd(corr, session.id(), x, flags), "ending branch " + x);
        } catch (XAException e) {
            if (e.errorCode >= XAException.XA_RBBASE && e.errorCode <= XAException.XA_RBEND) {
                // the broker rolled the branch back (its timeout, say) and ended the association
                session.globalTransaction(false);
            }
            throw e;
        }
        session.globalTransaction(false);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        WireXid x = wire(xid);
        return call(corr -> new Frame.XaPrepare(corr, x), "preparing branch " + x);
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        WireXid x = wire(xid);
        call(corr -> new Frame.XaCommit(corr, x, onePhase), "committing branch " + x);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        WireXid x = wire(xid);
        call(corr -> new Frame.XaRollback(corr, x), "rolling back branch " + x);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        WireXid x = wire(xid);
        call(corr -> new Frame.XaForget(corr, x), "forgetting branch " + x);
    }

    /**
     * The prepared branches of the broker. The whole list comes with TMSTARTRSCAN; a call without it (TMNOFLAGS or
     * TMENDRSCAN alone, continuing the scan) returns nothing more.
     */
    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & ~SCAN_FLAGS) != 0) {
            throw error(XAException.XAER_INVAL, "recover takes TMSTARTRSCAN, TMENDRSCAN or TMNOFLAGS, not 0x"
                    + Integer.toHexString(flag));
        }
        if ((flag & TMSTARTRSCAN) == 0) {
            return new Xid[0];
        }
        Frame answer = await(request(Frame.XaRecover::new), "listing prepared branches");
        if (!(answer instanceof Frame.XaRecoverOk ok)) {
            throw error(XAException.XAER_RMERR, "the broker answered XA_RECOVER with " + answer.type());
        }
        return ok.xids().toArray(new Xid[0]);
    }

    /** True for another Tern resource connected to the same broker (branches are kept per broker). */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (!(other instanceof TernXAResource o)) {
            return false;
        }
        String mine = session.connection().brokerName();
        return mine != null && mine.equals(o.session.connection().brokerName());
    }

    /**
     * The timeout {@link #setTransactionTimeout} set for the branches this resource starts; 0 when none is set, and
     * then the broker's default ({@code xa.default-timeout-seconds}) applies.
     */
    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /**
     * Sets how long each branch this resource starts from now on (XA_START with TMNOFLAGS) may stay unprepared: past
     * it the broker rolls the branch back, and the transaction manager then gets XA_RBTIMEOUT. 0 restores the
     * broker's default. A prepared branch never times out. A negative value is XAER_INVAL.
     *
     * @return true: the timeout is set
     */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw error(XAException.XAER_INVAL, "a transaction timeout may not be negative: " + seconds);
        }
        timeoutSeconds = seconds;
        return true;
    }

    private int call(IntFunction<Frame> frame, String what) throws XAException {
        Frame answer = await(request(frame), what);
        if (answer instanceof Frame.XaResult r) {
            if (r.code() == XaCode.XA_OK || r.code() == XaCode.XA_RDONLY) {
                return r.code();
            }
            throw error(r.code(), what + " refused by the broker: " + r.message());
        }
        throw error(XAException.XAER_RMERR, what + ": the broker answered " + answer.type());
    }

    private CompletableFuture<Frame> request(IntFunction<Frame> frame) throws XAException {
        TernConnection connection = session.connection();
        if (!connection.provider().isConnected()) {
            throw error(XAException.XAER_RMFAIL, "the connection to " + connection.provider().remoteAddress()
                    + " is closed or lost");
        }
        return connection.provider().request(frame);
    }

    private Frame await(CompletableFuture<Frame> answer, String what) throws XAException {
        long timeout = session.connection().options().requestTimeout();
        try {
            return timeout > 0 ? answer.get(timeout, TimeUnit.MILLISECONDS) : answer.get();
        } catch (ExecutionException e) {
            int code = session.connection().provider().isConnected() ? XAException.XAER_PROTO
                    : XAException.XAER_RMFAIL;
            XAException x = error(code, what + " failed: " + e.getCause().getMessage());
            x.initCause(e.getCause());
            throw x;
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw error(XAException.XAER_RMFAIL, what + " got no answer from the broker within " + timeout + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw error(XAException.XAER_RMFAIL, what + " was interrupted");
        }
    }

    private static WireXid wire(Xid xid) throws XAException {
        if (xid == null) {
            throw error(XAException.XAER_INVAL, "the Xid is null");
        }
        try {
            return WireXid.of(xid);
        } catch (IllegalArgumentException e) {
            throw error(XAException.XAER_INVAL, e.getMessage());
        }
    }

    private static XAException error(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }
}
