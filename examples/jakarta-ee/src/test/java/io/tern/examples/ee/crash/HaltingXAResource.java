package io.tern.examples.ee.crash;

import java.util.logging.Logger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A transaction branch whose commit stops the whole server with {@link Runtime#halt(int)}: no shutdown hook, no
 * orderly stop, like a power cut. Enlisted before Tern's branch, it is committed first (Narayana commits in the
 * order of enlistment), so the server dies after the transaction's outcome is logged and both branches are
 * prepared, but before Tern's branch is committed: on the broker that branch stays prepared (in doubt) until the
 * restarted server's recovery commits it. Not serializable: recovery does not meet it again.
 */
public final class HaltingXAResource implements XAResource {
    private static final Logger LOG = Logger.getLogger(HaltingXAResource.class.getName());

    @Override
    public void commit(Xid xid, boolean onePhase) {
        if (onePhase) {
            // Alone in its transaction there is nothing to leave in doubt: the test would be meaningless.
            throw new IllegalStateException("HaltingXAResource committed in one phase: Tern's branch is missing");
        }
        LOG.severe("halting the server in the commit of " + xid + ", as the crash recovery test asked");
        Runtime.getRuntime().halt(77);
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void rollback(Xid xid) {
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public void forget(Xid xid) {
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return false;
    }
}
