package io.tern.broker.session;

import io.tern.jms.wire.WireXid;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One global transaction branch: its work (a {@link Transaction}), the sessions working for it now or suspended,
 * and where it is in the XA state machine. Guarded by its {@link Branches} registry's lock.
 */
final class Branch {
    /** TIMED_OUT: rolled back by the broker when its timeout passed; the sessions still associated see it so. */
    enum State { ACTIVE, PREPARING, PREPARED, COMPLETING, TIMED_OUT }

    final WireXid xid;
    final byte[] storeXid;
    /** The connection that started it: an unprepared branch is rolled back when that connection ends. */
    final String ownerConnection;
    final Transaction work;
    final Set<Session> associated = new HashSet<>();
    final Set<Session> suspended = new HashSet<>();
    final long createdMillis = System.currentTimeMillis();
    /** When the broker rolls it back unless it is prepared by then; 0 for never. */
    final long deadlineMillis;
    /** Its timeout, for logs; 0 for none. */
    final int timeoutSeconds;
    State state = State.ACTIVE;
    boolean rollbackOnly;
    CompletableFuture<Void> preparing = CompletableFuture.completedFuture(null);

    /** The registry whose lock guards this branch. */
    final Object lock;

    Branch(Object lock, WireXid xid, String ownerConnection, Transaction work, int timeoutSeconds) {
        this.lock = lock;
        this.timeoutSeconds = timeoutSeconds;
        this.deadlineMillis = timeoutSeconds == 0 ? 0 : createdMillis + timeoutSeconds * 1000L;
        this.xid = xid;
        this.storeXid = xid.toBytes();
        this.ownerConnection = ownerConnection;
        this.work = work;
    }

    boolean timedOut() {
        return state == State.TIMED_OUT;
    }

    boolean hasSessions() {
        return !associated.isEmpty() || !suspended.isEmpty();
    }
}
