package io.tern.ra;

/**
 * The managed connection factory of the adapter's {@code jakarta.jms.TopicConnectionFactory} connection definition.
 * It is a class of its own only so that the server can tell the connection definitions apart (ironjacamar.xml
 * names them by class); it makes the same connections as {@link TernManagedConnectionFactory}.
 */
public class TernManagedTopicConnectionFactory extends TernManagedConnectionFactory {
    private static final long serialVersionUID = 1L;
}
