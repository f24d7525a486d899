package io.tern.jms.client;

import io.tern.jms.provider.ConnectionOptions;
import io.tern.jms.provider.Provider;
import jakarta.jms.JMSException;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;

/** A connection that makes {@link TernXASession}s; its plain sessions are those of {@link TernConnection}. */
public final class TernXAConnection extends TernConnection implements XAQueueConnection, XATopicConnection {

    TernXAConnection(ConnectionOptions options, Provider provider, String clientId) {
        super(options, provider, clientId);
    }

    @Override
    public XASession createXASession() throws JMSException {
        return newXASession(TernSession.Domain.GENERIC);
    }

    @Override
    public XAQueueSession createXAQueueSession() throws JMSException {
        return newXASession(TernSession.Domain.QUEUE);
    }

    @Override
    public XATopicSession createXATopicSession() throws JMSException {
        return newXASession(TernSession.Domain.TOPIC);
    }
}
