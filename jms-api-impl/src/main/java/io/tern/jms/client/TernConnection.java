package io.tern.jms.client;

import jakarta.jms.JMSException;

/** Placeholder while the client is written; replaced in the client commit. */
abstract class TernConnection implements jakarta.jms.QueueConnection, jakarta.jms.TopicConnection {
    static TernConnection open(ConnectionOptions options, String user, String password, String clientId)
            throws JMSException {
        throw new JMSException("connections are not implemented yet");
    }
}
