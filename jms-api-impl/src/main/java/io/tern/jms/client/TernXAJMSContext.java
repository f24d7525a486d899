package io.tern.jms.client;

import static io.tern.jms.exceptions.JmsExceptions.unchecked;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;
import javax.transaction.xa.XAResource;

/** A JMSContext over one {@link TernXASession}: a transaction manager enlists it through {@link #getXAResource()}. */
public final class TernXAJMSContext extends TernJMSContext implements XAJMSContext {

    TernXAJMSContext(TernXAConnection connection) {
        super(connection, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    TernSession openSession() throws JMSException {
        return connection().newXASession(TernSession.Domain.GENERIC);
    }

    @Override
    public JMSContext getContext() {
        checkOpen();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((TernXASession) session()).getXAResource();
    }

    /** True while the context's session works for a global transaction branch. */
    @Override
    public boolean getTransacted() {
        return unchecked(() -> session().getTransacted());
    }

    @Override
    public void commit() {
        checkOpen();
        throw new TransactionInProgressRuntimeException("commit() may not be called on an XAJMSContext: its global"
                + " transaction is completed through its XAResource");
    }

    @Override
    public void rollback() {
        checkOpen();
        throw new TransactionInProgressRuntimeException("rollback() may not be called on an XAJMSContext: its"
                + " global transaction is completed through its XAResource");
    }
}
