package io.tern.jms.client;

import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XATopicSession;
import javax.transaction.xa.XAResource;

/**
 * A session whose work a transaction manager enlists in global transactions through {@link #getXAResource()}.
 * Between XA start and end its sends and acknowledgements belong to the branch; outside one it behaves as a
 * non-transacted AUTO_ACKNOWLEDGE session (sends take effect at once, messages are acknowledged as received).
 * Local {@link #commit()} and {@link #rollback()} are never allowed (JMS 3.1: TransactionInProgressException).
 */
public final class TernXASession extends TernSession implements XAQueueSession, XATopicSession {
    private final TernXAResource resource;
    private volatile boolean inGlobalTransaction;

    TernXASession(TernConnection connection, int id, Domain domain) {
        super(connection, id, Session.AUTO_ACKNOWLEDGE, domain);
        this.resource = new TernXAResource(this);
    }

    /** Every acknowledgement goes at once: it must land inside or outside a branch as the application saw it. */
    @Override
    boolean mayHoldAcks() {
        return false;
    }

    /** Set by the resource when it starts (true) or ends (false) the session's work for a branch. */
    void globalTransaction(boolean active) {
        inGlobalTransaction = active;
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    @Override
    public Session getSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkOpen();
        return this;
    }

    /** True while the session works for a global transaction branch. */
    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return inGlobalTransaction;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("commit() may not be called on an XASession: its global"
                + " transaction is completed through its XAResource");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("rollback() may not be called on an XASession: its global"
                + " transaction is completed through its XAResource");
    }
}
