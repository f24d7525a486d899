package io.tern.broker.session;

import io.tern.broker.destination.Destinations;
import io.tern.broker.store.PreparedBatch;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoreBatch;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's global transaction branches, by Xid: what XA_START..XA_FORGET act on. A branch is independent of the
 * connection that started it: once prepared it outlives that connection (and, through the store, the broker);
 * unprepared, it is rolled back when that connection ends. One lock guards every branch; store writes happen outside
 * it and their completions take it again.
 */
public final class Branches {
    private static final Logger LOG = LoggerFactory.getLogger(Branches.class);

    /** How many branches rolled back at their timeout are remembered for the transaction manager's next call. */
    static final int MAX_TIMED_OUT = 1024;

    private final Store store;
    private final int defaultTimeoutSeconds;
    private final Map<WireXid, Branch> branches = new LinkedHashMap<>();
    /** Prepared branches an operator completed by hand, until XA_FORGET. */
    private final Map<WireXid, Heuristic> heuristics = new LinkedHashMap<>();
    /** Of those, the ones whose decision the store could not record. */
    private final Set<WireXid> unrecorded = new HashSet<>();
    /**
     * Branches the broker rolled back when their timeout passed, until the transaction manager has heard of it
     * (XA_PREPARE, XA_COMMIT or XA_ROLLBACK) or, oldest first, more than {@link #MAX_TIMED_OUT} are kept.
     */
    private final Map<WireXid, Long> timedOut = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WireXid, Long> eldest) {
            return size() > MAX_TIMED_OUT;
        }
    };

    /**
     * @param defaultTimeoutSeconds how long a branch may stay unprepared when its XA_START names no timeout; 0 for
     *                              no timeout
     */
    public Branches(Store store, int defaultTimeoutSeconds) {
        this.store = store;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    /**
     * XA_START: {@code session}'s following sends and acknowledgements belong to the branch. A new branch (TMNOFLAGS)
     * is rolled back if it is not prepared within {@code timeoutSeconds} (0: the broker's default).
     */
    public synchronized XaOutcome start(Session session, String connectionId, WireXid xid, int flags,
                                        int timeoutSeconds) {
        try {
            if (session.branch() != null) {
                throw new XaRefusal(XaCode.XAER_PROTO, "session " + session.id() + " already works for branch "
                        + session.branch().xid);
            }
            Branch b = branches.get(xid);
            if (flags == XAResource.TMNOFLAGS) {
                if (Heuristic.isReserved(xid)) {
                    throw new XaRefusal(XaCode.XAER_INVAL, "format id 0x" + Integer.toHexString(xid.formatId())
                            + " of " + xid + " is reserved by the broker (format ids 0xff48xxxx)");
                }
                if (b != null) {
                    throw new XaRefusal(XaCode.XAER_DUPID, "branch " + xid + " exists already");
                }
                if (heuristics.containsKey(xid)) {
                    throw new XaRefusal(XaCode.XAER_DUPID, "branch " + xid + " exists already and was "
                            + heuristics.get(xid).outcome());
                }
                if (timedOut.containsKey(xid)) {
                    throw new XaRefusal(XaCode.XAER_DUPID, "branch " + xid + " exists already and was rolled back"
                            + " when its timeout passed");
                }
                b = new Branch(this, xid, connectionId, new Transaction(),
                        timeoutSeconds > 0 ? timeoutSeconds : defaultTimeoutSeconds);
                branches.put(xid, b);
            } else if (flags == XAResource.TMJOIN || flags == XAResource.TMRESUME) {
                b = existing(xid);
                if (b.state != Branch.State.ACTIVE) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is " + b.state.name().toLowerCase());
                }
                if (flags == XAResource.TMRESUME && !b.suspended.remove(session)) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "session " + session.id() + " has not suspended branch "
                            + xid);
                }
            } else {
                throw new XaRefusal(XaCode.XAER_INVAL, "XA_START takes TMNOFLAGS, TMJOIN or TMRESUME, not 0x"
                        + Integer.toHexString(flags));
            }
            b.associated.add(session);
            session.associate(b);
            return XaOutcome.OK;
        } catch (XaRefusal r) {
            return XaOutcome.of(r);
        }
    }

    /** XA_END: {@code session} stops (TMSUCCESS, TMFAIL) or suspends (TMSUSPEND) its work for the branch. */
    public synchronized XaOutcome end(Session session, WireXid xid, int flags) {
        try {
            Branch dead = session.branch();
            if (dead != null && dead.timedOut() && dead.xid.equals(xid)) {
                dead.associated.remove(session);
                session.associate(null);
            }
            Branch b = existing(xid);
            boolean active = b.associated.contains(session);
            if (!active && !(flags != XAResource.TMSUSPEND && b.suspended.contains(session))) {
                throw new XaRefusal(XaCode.XAER_PROTO, "session " + session.id() + " does not work for branch "
                        + xid);
            }
            if (flags == XAResource.TMSUSPEND) {
                b.suspended.add(session);
            } else if (flags == XAResource.TMSUCCESS || flags == XAResource.TMFAIL) {
                b.suspended.remove(session);
                b.rollbackOnly |= flags == XAResource.TMFAIL;
            } else {
                throw new XaRefusal(XaCode.XAER_INVAL, "XA_END takes TMSUCCESS, TMSUSPEND or TMFAIL, not 0x"
                        + Integer.toHexString(flags));
            }
            b.associated.remove(session);
            session.associate(null);
            return XaOutcome.OK;
        } catch (XaRefusal r) {
            return XaOutcome.of(r);
        }
    }

    /**
     * XA_END for a session that has closed meanwhile: closing ended its association, so this only marks the branch
     * rollback-only on TMFAIL.
     */
    public synchronized XaOutcome endClosed(WireXid xid, int flags) {
        Branch b = branches.get(xid);
        if (b == null) {
            return timedOut.containsKey(xid) ? rolledBackAtTimeout(xid) : new XaOutcome(XaCode.XAER_NOTA, "no branch "
                    + xid);
        }
        if (flags != XAResource.TMSUCCESS && flags != XAResource.TMFAIL && flags != XAResource.TMSUSPEND) {
            return new XaOutcome(XaCode.XAER_INVAL, "XA_END takes TMSUCCESS, TMSUSPEND or TMFAIL, not 0x"
                    + Integer.toHexString(flags));
        }
        b.rollbackOnly |= flags == XAResource.TMFAIL;
        return XaOutcome.OK;
    }

    /** XA_PREPARE: writes the branch to the store as prepared; XA_RDONLY (and forgotten) when it did nothing. */
    public CompletableFuture<XaOutcome> prepare(WireXid xid) {
        Branch b;
        synchronized (this) {
            try {
                forgetTimedOut(xid);
                b = idle(xid, "prepared");
                if (b.state != Branch.State.ACTIVE) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is " + b.state.name().toLowerCase());
                }
            } catch (XaRefusal r) {
                return CompletableFuture.completedFuture(XaOutcome.of(r));
            }
            if (b.rollbackOnly) {
                rollbackNow(b, "it was marked rollback-only");
                return CompletableFuture.completedFuture(new XaOutcome(XaCode.XA_RBROLLBACK, "branch " + xid
                        + " was marked rollback-only (TMFAIL) and has been rolled back"));
            }
            if (b.work.isEmpty()) {
                branches.remove(xid);
                return CompletableFuture.completedFuture(XaOutcome.READ_ONLY);
            }
            b.state = Branch.State.PREPARING;
            b.preparing = b.work.prepare(store, b.storeXid);
        }
        return b.preparing.handle((v, e) -> {
            synchronized (this) {
                if (e != null) {
                    rollbackNow(b, "the store could not prepare it: " + cause(e));
                    return new XaOutcome(XaCode.XA_RBROLLBACK, "the store could not prepare branch " + xid
                            + ", which has been rolled back: " + cause(e));
                }
                b.state = Branch.State.PREPARED;
                LOG.info("TERN-B0701 XA branch {} prepared ({}; started by {})", xid, b.work.describe(),
                        b.ownerConnection);
                return XaOutcome.OK;
            }
        });
    }

    /** XA_COMMIT: one phase for a branch not prepared (like a local commit), two phases for a prepared one. */
    public CompletableFuture<XaOutcome> commit(WireXid xid, boolean onePhase) {
        Branch b;
        CompletableFuture<Void> done;
        synchronized (this) {
            Heuristic h = heuristics.get(xid);
            if (h != null) {
                return CompletableFuture.completedFuture(h.answer());
            }
            try {
                forgetTimedOut(xid);
                b = idle(xid, "committed");
                if (onePhase && b.state != Branch.State.ACTIVE) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is " + b.state.name().toLowerCase()
                            + ": a one-phase commit needs a branch not prepared");
                }
                if (!onePhase && b.state != Branch.State.PREPARED) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is not prepared: a two-phase commit"
                            + " needs XA_PREPARE first");
                }
            } catch (XaRefusal r) {
                return CompletableFuture.completedFuture(XaOutcome.of(r));
            }
            if (b.rollbackOnly) {
                rollbackNow(b, "it was marked rollback-only");
                return CompletableFuture.completedFuture(new XaOutcome(XaCode.XA_RBROLLBACK, "branch " + xid
                        + " was marked rollback-only (TMFAIL) and has been rolled back"));
            }
            b.state = Branch.State.COMPLETING;
            done = onePhase ? b.work.commit(store) : b.work.commitPrepared(store, b.storeXid);
        }
        String what = b.work.describe();
        return done.handle((v, e) -> {
            synchronized (this) {
                if (e == null) {
                    branches.remove(xid);
                    LOG.info("TERN-B0702 XA branch {} committed ({}, {})", xid, onePhase ? "one phase" : "two phases",
                            what);
                    return XaOutcome.OK;
                }
                if (onePhase) {
                    // Transaction.commit has rolled the work back already
                    branches.remove(xid);
                    LOG.warn("TERN-B0703 XA branch {} rolled back: the store could not commit it: {}", xid, cause(e));
                    return new XaOutcome(XaCode.XA_RBROLLBACK, "the store could not commit branch " + xid
                            + ", which has been rolled back: " + cause(e));
                }
                b.state = Branch.State.PREPARED;
                return new XaOutcome(XaCode.XAER_RMERR, "the store could not commit prepared branch " + xid
                        + " (it stays prepared): " + cause(e));
            }
        });
    }

    /** XA_ROLLBACK: discards the sends and returns the consumed messages as redelivered. */
    public CompletableFuture<XaOutcome> rollback(WireXid xid) {
        Branch b;
        CompletableFuture<Void> done;
        synchronized (this) {
            if (timedOut.remove(xid) != null) {
                // what the transaction manager wants is done already
                return CompletableFuture.completedFuture(XaOutcome.OK);
            }
            Heuristic h = heuristics.get(xid);
            if (h != null) {
                return CompletableFuture.completedFuture(h.answer());
            }
            try {
                b = existing(xid);
                if (!b.associated.isEmpty()) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is still in use by a session (XA_END"
                            + " first)");
                }
                if (b.state == Branch.State.PREPARING || b.state == Branch.State.COMPLETING) {
                    throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " is " + b.state.name().toLowerCase());
                }
            } catch (XaRefusal r) {
                return CompletableFuture.completedFuture(XaOutcome.of(r));
            }
            if (b.state != Branch.State.PREPARED) {
                rollbackNow(b, "the transaction manager asked");
                return CompletableFuture.completedFuture(XaOutcome.OK);
            }
            b.state = Branch.State.COMPLETING;
            done = b.work.rollbackPrepared(store, b.storeXid);
        }
        String what = b.work.describe();
        return done.handle((v, e) -> {
            synchronized (this) {
                if (e != null) {
                    b.state = Branch.State.PREPARED;
                    return new XaOutcome(XaCode.XAER_RMERR, "the store could not roll back prepared branch " + xid
                            + " (it stays prepared): " + cause(e));
                }
                branches.remove(xid);
                LOG.info("TERN-B0703 XA branch {} rolled back ({}): the transaction manager asked", xid, what);
                return XaOutcome.OK;
            }
        });
    }

    /**
     * XA_FORGET: the transaction manager has noted a heuristic outcome; the broker forgets the branch (and removes
     * the decision's record from the store).
     */
    public CompletableFuture<XaOutcome> forget(WireXid xid) {
        Heuristic h;
        CompletableFuture<Void> removed;
        synchronized (this) {
            h = heuristics.remove(xid);
            if (h == null) {
                return CompletableFuture.completedFuture(branches.containsKey(xid)
                        ? new XaOutcome(XaCode.XAER_PROTO, "branch " + xid + " was not completed heuristically")
                        : new XaOutcome(XaCode.XAER_NOTA, "no branch " + xid));
            }
            removed = unrecorded.remove(xid) ? CompletableFuture.completedFuture(null)
                    : store.rollbackPrepared(h.storeIdentity());
        }
        return removed.handle((v, e) -> {
            synchronized (this) {
                if (e != null) {
                    heuristics.putIfAbsent(xid, h);
                    return new XaOutcome(XaCode.XAER_RMERR, "the store could not forget the " + h.outcome()
                            + " branch " + xid + " (it is still remembered): " + cause(e));
                }
                LOG.info("TERN-B0710 XA branch {} ({} by an operator) forgotten: its transaction manager has noted"
                        + " it", xid, h.outcome());
                return XaOutcome.OK;
            }
        });
    }

    /**
     * XA_RECOVER: every prepared branch, in the order they were started, then every branch an operator completed by
     * hand and the transaction manager has not forgotten.
     */
    public synchronized List<WireXid> prepared() {
        List<WireXid> xids = new ArrayList<>();
        branches.values().stream().filter(b -> b.state == Branch.State.PREPARED).forEach(b -> xids.add(b.xid));
        xids.addAll(heuristics.keySet());
        return xids;
    }

    /**
     * For operators: one line per in-doubt branch (prepared, waiting for its transaction manager) and per branch
     * completed by hand and not yet forgotten, oldest first: its xid ({@code formatId:gtrid:bqual}, hex), state,
     * age, the connection that started it and the messages it holds.
     */
    public synchronized List<String> describeInDoubt() {
        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (Branch b : branches.values()) {
            if (b.state == Branch.State.PREPARED) {
                lines.add("xid=" + b.xid + " state=prepared age=" + (now - b.createdMillis) / 1000 + "s connection="
                        + b.ownerConnection + " " + b.work.describeMessages());
            }
        }
        for (Heuristic h : heuristics.values()) {
            lines.add("xid=" + h.xid() + " state=" + h.outcome().replace(' ', '-') + " decided="
                    + (h.decidedMillis() < 0 ? "before-restart" : (now - h.decidedMillis()) / 1000 + "s-ago")
                    + " connection=" + h.ownerConnection() + " " + h.messages());
        }
        return lines;
    }

    /**
     * An operator completes the prepared branch {@code xidText} ({@code formatId:gtrid:bqual}) by hand: commits it or
     * rolls it back now, and remembers the decision so that its transaction manager learns it (XA_HEURCOM or
     * XA_HEURRB) and forgets it. The future completes with a line saying what was done, once the store has it.
     *
     * @throws IllegalArgumentException when the text is not an xid or names no in-doubt branch
     * @throws IllegalStateException    when the branch is not prepared (still active, or being completed)
     */
    public CompletableFuture<String> decideByHand(String xidText, boolean commit) {
        WireXid xid = WireXid.parse(xidText);
        Branch b;
        CompletableFuture<Void> done;
        String messages;
        synchronized (this) {
            b = branches.get(xid);
            if (b == null) {
                Heuristic h = heuristics.get(xid);
                throw new IllegalArgumentException(h != null ? "branch " + xid + " was " + h.outcome() + " already"
                        : "no in-doubt branch " + xid + " (XA_RECOVER and describeInDoubtBranches list them)");
            }
            if (b.state != Branch.State.PREPARED) {
                throw new IllegalStateException("branch " + xid + " is " + b.state.name().toLowerCase()
                        + ", not prepared: only its transaction manager decides it");
            }
            b.state = Branch.State.COMPLETING;
            messages = b.work.describeMessages();
            done = commit ? b.work.commitPrepared(store, b.storeXid) : b.work.rollbackPrepared(store, b.storeXid);
        }
        return done.handle((v, e) -> {
            synchronized (this) {
                if (e != null) {
                    b.state = Branch.State.PREPARED;
                    throw new IllegalStateException("the store could not " + (commit ? "commit" : "roll back")
                            + " branch " + xid + " (it stays prepared): " + cause(e), e);
                }
                branches.remove(xid);
                Heuristic h = new Heuristic(xid, commit, System.currentTimeMillis(), b.ownerConnection, messages);
                heuristics.put(xid, h);
                LOG.warn("TERN-B0709 XA branch {} {} by an operator ({}; started by {}); its transaction manager gets"
                        + " {} until it forgets the branch", xid, h.outcome(), messages, b.ownerConnection,
                        commit ? "XA_HEURCOM" : "XA_HEURRB");
                // submitted under the lock, so that a later XA_FORGET's removal follows it in the store
                return record(h).thenApply(recorded -> "branch " + xid + " " + h.outcome() + ": " + messages
                        + (recorded ? "" : " (the store could not record the decision: it is remembered until the"
                        + " broker stops)"));
            }
        }).thenCompose(f -> f);
    }

    /** Writes the decision's record; completes with false (and a log line) when the store could not. */
    private CompletableFuture<Boolean> record(Heuristic h) {
        return store.prepare(h.storeIdentity(), new StoreBatch(List.of(), List.of())).handle((v, e) -> {
            if (e == null) {
                return true;
            }
            synchronized (this) {
                unrecorded.add(h.xid());
            }
            LOG.error("TERN-B0711 the store could not record that XA branch {} was {} by an operator: the decision is"
                    + " applied, but after a restart the transaction manager gets XAER_NOTA instead of {}: {}",
                    h.xid(), h.outcome(), h.committed() ? "XA_HEURCOM" : "XA_HEURRB", cause(e));
            return false;
        });
    }

    /**
     * A connection ended: its sessions stop working for their branches, and the branches it started that are not
     * prepared are rolled back.
     */
    public synchronized void connectionEnded(String connectionId, List<Session> sessions) {
        for (Branch b : branches.values()) {
            b.associated.removeAll(sessions);
            b.suspended.removeAll(sessions);
        }
        sessions.forEach(s -> s.associate(null));
        for (Branch b : List.copyOf(branches.values())) {
            if (b.state == Branch.State.ACTIVE && b.ownerConnection.equals(connectionId)) {
                rollbackNow(b, "its connection " + connectionId + " ended before it was prepared");
            }
        }
    }

    /** A session closed: it stops working for its branch (which continues). */
    public synchronized void sessionClosed(Session session) {
        Branch b = session.branch();
        if (b != null) {
            b.associated.remove(session);
            session.associate(null);
        }
        branches.values().forEach(x -> x.suspended.remove(session));
    }

    /**
     * Rebuilds the prepared branches the store kept, at start (after the destinations are recovered, before any
     * client connects): the messages their removes name are locked, their adds held, until a transaction manager
     * commits or rolls them back from any connection.
     */
    public synchronized void recover(List<PreparedBatch> prepared, Destinations destinations) {
        List<PreparedBatch> branchBatches = new ArrayList<>();
        for (PreparedBatch p : prepared) {
            Heuristic h;
            try {
                h = Heuristic.fromStore(p.xid());
            } catch (MalformedFrameException e) {
                LOG.error("TERN-B0707 heuristic decision {} in the store does not name an XA Xid and is left alone: {}",
                        p, e.getMessage());
                continue;
            }
            if (h == null) {
                branchBatches.add(p);
            } else {
                heuristics.put(h.xid(), h);
                LOG.info("TERN-B0705 XA branch {} recovered from the store, {} by an operator before the restart;"
                        + " its transaction manager learns it until it forgets the branch", h.xid(), h.outcome());
            }
        }
        for (PreparedBatch p : branchBatches) {
            WireXid xid;
            try {
                xid = WireXid.fromBytes(p.xid());
            } catch (MalformedFrameException e) {
                LOG.error("TERN-B0707 prepared branch {} in the store is not an XA Xid and is left alone: {}", p,
                        e.getMessage());
                continue;
            }
            Transaction work = RecoveredWork.rebuild(xid, p.batch(), destinations);
            if (heuristics.containsKey(xid)) {
                // cannot happen: a decision is recorded after the branch is completed; leave the branch in doubt
                LOG.warn("TERN-B0711 XA branch {} is prepared in the store and recorded as {} as well; the record is"
                        + " ignored and the branch waits for its transaction manager or an operator", xid,
                        heuristics.get(xid).outcome());
                heuristics.remove(xid);
            }
            Branch b = new Branch(this, xid, "(recovered)", work, 0);
            b.state = Branch.State.PREPARED;
            branches.put(xid, b);
            LOG.info("TERN-B0705 XA branch {} recovered from the store, prepared ({}); it waits for its transaction"
                    + " manager's commit or rollback", xid, work.describe());
        }
    }

    /**
     * Rolls back every branch not prepared whose timeout has passed: the broker's timer calls this about once a
     * second. Sessions still associated with such a branch stay so until XA_END (which answers XA_RBTIMEOUT); their
     * sends and acknowledgements meanwhile are refused.
     */
    public synchronized void expire() {
        long now = System.currentTimeMillis();
        for (Branch b : List.copyOf(branches.values())) {
            if (b.state == Branch.State.ACTIVE && b.deadlineMillis != 0 && now >= b.deadlineMillis) {
                String what = b.work.describe();
                b.state = Branch.State.TIMED_OUT;
                b.suspended.clear();
                b.work.rollback();
                branches.remove(b.xid);
                timedOut.put(b.xid, now);
                LOG.warn("TERN-B0708 XA branch {} rolled back: its timeout of {} s passed before it was prepared"
                        + " (started by connection {} {} ms ago, it held {}; {} sessions still associated)", b.xid,
                        b.timeoutSeconds, b.ownerConnection, now - b.createdMillis, what, b.associated.size());
            }
        }
    }

    /** A request other than XA_END about a branch rolled back at its timeout: it is XA_RBTIMEOUT, once. */
    private void forgetTimedOut(WireXid xid) throws XaRefusal {
        if (timedOut.remove(xid) != null) {
            throw new XaRefusal(XaCode.XA_RBTIMEOUT, rolledBackAtTimeout(xid).message());
        }
    }

    private static XaOutcome rolledBackAtTimeout(WireXid xid) {
        return new XaOutcome(XaCode.XA_RBTIMEOUT, "branch " + xid + " was rolled back by the broker when its"
                + " timeout passed before it was prepared");
    }

    private void rollbackNow(Branch b, String why) {
        b.associated.forEach(s -> s.associate(null));
        b.associated.clear();
        b.suspended.clear();
        String what = b.work.describe();
        b.work.rollback();
        branches.remove(b.xid);
        LOG.info("TERN-B0704 XA branch {} rolled back ({}): {}", b.xid, what, why);
    }

    private Branch existing(WireXid xid) throws XaRefusal {
        Branch b = branches.get(xid);
        if (b == null && heuristics.containsKey(xid)) {
            throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " was " + heuristics.get(xid).outcome()
                    + " by an operator: only XA_COMMIT, XA_ROLLBACK (which report it), XA_FORGET and XA_RECOVER apply");
        }
        if (b == null && timedOut.containsKey(xid)) {
            throw new XaRefusal(XaCode.XA_RBTIMEOUT, rolledBackAtTimeout(xid).message());
        }
        if (b == null) {
            throw new XaRefusal(XaCode.XAER_NOTA, "no branch " + xid);
        }
        return b;
    }

    /** A branch no session works for now (suspended ones count as working). */
    private Branch idle(WireXid xid, String verb) throws XaRefusal {
        Branch b = existing(xid);
        if (b.hasSessions()) {
            throw new XaRefusal(XaCode.XAER_PROTO, "branch " + xid + " cannot be " + verb + " while a session works"
                    + " for it (XA_END first)");
        }
        return b;
    }

    private static String cause(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.toString();
    }
}
