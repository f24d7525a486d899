package io.tern.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A resource-manager local transaction, as the container drives it for a connection factory deployed with
 * LocalTransaction support: a one-branch XA transaction on the session, committed in one phase, so the broker
 * never records it as prepared.
 */
final class TernLocalTransaction implements LocalTransaction {
    /** Format id of the Xids of local transactions ("TRNL"). */
    static final int FORMAT_ID = 0x54524e4c;

    private final XAResource resource;
    private Xid current;

    TernLocalTransaction(XAResource resource) {
        this.resource = resource;
    }

    @Override
    public synchronized void begin() throws ResourceException {
        if (current != null) {
            throw new LocalTransactionException("TERN-R0120 a local transaction is already active");
        }
        Xid xid = newXid();
        try {
            resource.start(xid, XAResource.TMNOFLAGS);
        } catch (XAException e) {
            throw failure("begin", e);
        }
        current = xid;
    }

    @Override
    public synchronized void commit() throws ResourceException {
        Xid xid = take("commit");
        try {
            resource.end(xid, XAResource.TMSUCCESS);
            resource.commit(xid, true);
        } catch (XAException e) {
            throw failure("commit", e);
        }
    }

    @Override
    public synchronized void rollback() throws ResourceException {
        Xid xid = take("roll back");
        try {
            try {
                resource.end(xid, XAResource.TMFAIL);
            } finally {
                resource.rollback(xid);
            }
        } catch (XAException e) {
            if (e.errorCode < XAException.XA_RBBASE || e.errorCode > XAException.XA_RBEND) {
                throw failure("roll back", e);
            }
        }
    }

    private Xid take(String what) throws LocalTransactionException {
        Xid xid = current;
        if (xid == null) {
            throw new LocalTransactionException("TERN-R0121 no local transaction to " + what);
        }
        current = null;
        return xid;
    }

    private static LocalTransactionException failure(String what, XAException e) {
        LocalTransactionException l = new LocalTransactionException("TERN-R0122 local transaction " + what
                + " failed (XA code " + e.errorCode + "): " + e.getMessage(), e);
        l.initCause(e);
        return l;
    }

    private static Xid newXid() {
        UUID id = UUID.randomUUID();
        byte[] gtrid = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
        byte[] bqual = "tern-local".getBytes(StandardCharsets.US_ASCII);
        return new Xid() {
            @Override
            public int getFormatId() {
                return FORMAT_ID;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return gtrid.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return bqual.clone();
            }
        };
    }
}
