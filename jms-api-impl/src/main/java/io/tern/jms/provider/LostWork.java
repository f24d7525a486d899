package io.tern.jms.provider;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What a lost connection took with it, for a {@link FailoverProvider}: the uncommitted work of transacted sessions
 * and the XA branches sessions were in, and which delivery ids belong to which connection. A delivery id passed up
 * carries the number (generation) of the connection that delivered it in its top bits, so an acknowledgement of a
 * delivery of a lost connection is recognised and left out instead of settling whatever the new broker numbered
 * the same. Not thread-safe: the provider guards it.
 */
final class LostWork {
    private static final int GENERATION_SHIFT = 40;
    private static final long DELIVERY_MASK = (1L << GENERATION_SHIFT) - 1;

    /** Transacted sessions with uncommitted work on the current connection. */
    private final Set<Integer> transactionWork = new HashSet<>();
    /** Transacted sessions whose uncommitted work was lost with a connection: their next commit fails. */
    private final Set<Integer> lostTransactions = new HashSet<>();
    /** Sessions inside an XA branch on the current connection, and those whose branch was lost. */
    private final Set<Integer> xaBranches = new HashSet<>();
    private final Set<Integer> lostBranches = new HashSet<>();

    /** A broker's delivery id as the connection of {@code generation} passes it up. */
    static long tag(int generation, long deliveryId) {
        return ((long) generation << GENERATION_SHIFT) | deliveryId;
    }

    /** The connection is lost: the work on it is lost. */
    void connectionLost() {
        lostTransactions.addAll(transactionWork);
        transactionWork.clear();
        lostBranches.addAll(xaBranches);
        xaBranches.clear();
    }

    /** A transacted session sent a message on the current connection. */
    void sentInTransaction(int session) {
        transactionWork.add(session);
    }

    /**
     * A commit is about to be sent: true when the transaction lost work with a connection, so it must be rolled
     * back instead. Either way the session starts a fresh transaction.
     */
    boolean commitMustFail(int session) {
        transactionWork.remove(session);
        return lostTransactions.remove(session);
    }

    void rolledBack(int session) {
        transactionWork.remove(session);
        lostTransactions.remove(session);
    }

    void branchStarted(int session) {
        xaBranches.add(session);
        lostBranches.remove(session);
    }

    void branchEnded(int session) {
        xaBranches.remove(session);
        lostBranches.remove(session);
    }

    /** True when the session's XA branch was lost with a connection and has not been ended yet. */
    boolean branchLost(int session) {
        return lostBranches.contains(session);
    }

    void sessionClosed(int session) {
        transactionWork.remove(session);
        lostTransactions.remove(session);
        xaBranches.remove(session);
        lostBranches.remove(session);
    }

    /**
     * The delivery ids of connection {@code generation}, as that broker numbers them; ids of a lost connection are
     * left out (their messages come again). In a transacted session ({@code transacted}) such ids mean the
     * transaction lost work.
     */
    long[] live(long[] ids, int generation, int session, boolean transacted) {
        long[] out = new long[ids.length];
        int n = 0;
        for (long id : ids) {
            if ((id >>> GENERATION_SHIFT) == generation) {
                out[n++] = id & DELIVERY_MASK;
            }
        }
        if (n < ids.length && transacted) {
            lostTransactions.add(session);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
