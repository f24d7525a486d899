package io.tern.jms.wire;

/**
 * The result codes an {@link Frame.XaResult} carries: exactly the values of {@code javax.transaction.xa.XAResource}
 * and {@code XAException}, so that the client throws an {@code XAException} with the code it received.
 */
public final class XaCode {
    /** Success ({@code XAResource.XA_OK}). */
    public static final int XA_OK = 0;
    /** Prepare: the branch did nothing and is forgotten ({@code XAResource.XA_RDONLY}). */
    public static final int XA_RDONLY = 3;
    /** The branch may have been committed or rolled back heuristically: its outcome is not known
     * ({@code XAException.XA_HEURHAZ}). */
    public static final int XA_HEURHAZ = 8;
    /** The branch was committed heuristically ({@code XAException.XA_HEURCOM}). */
    public static final int XA_HEURCOM = 7;
    /** The branch was rolled back heuristically ({@code XAException.XA_HEURRB}). */
    public static final int XA_HEURRB = 6;
    /** The branch was partly committed and partly rolled back heuristically ({@code XAException.XA_HEURMIX}). */
    public static final int XA_HEURMIX = 5;
    /** The branch was rolled back, for an unspecified reason ({@code XAException.XA_RBROLLBACK}). */
    public static final int XA_RBROLLBACK = 100;
    /** The branch was rolled back because its work failed ({@code XAException.XA_RBINTEGRITY}). */
    public static final int XA_RBINTEGRITY = 102;
    /** The branch was rolled back because it ran too long ({@code XAException.XA_RBTIMEOUT}). */
    public static final int XA_RBTIMEOUT = 106;
    /** A fault in the resource manager ({@code XAException.XAER_RMERR}). */
    public static final int XAER_RMERR = -3;
    /** The Xid names no branch ({@code XAException.XAER_NOTA}). */
    public static final int XAER_NOTA = -4;
    /** Invalid arguments ({@code XAException.XAER_INVAL}). */
    public static final int XAER_INVAL = -5;
    /** The call is out of order for the branch ({@code XAException.XAER_PROTO}). */
    public static final int XAER_PROTO = -6;
    /** The resource manager is unavailable ({@code XAException.XAER_RMFAIL}). */
    public static final int XAER_RMFAIL = -7;
    /** The Xid names a branch that exists already ({@code XAException.XAER_DUPID}). */
    public static final int XAER_DUPID = -8;

    private XaCode() {
    }
}
