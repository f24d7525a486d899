package io.tern.jms.destination;

import jakarta.jms.JMSException;

/** The connection that created a temporary destination, and so may delete it. */
public interface TemporaryDestinationOwner {
    void deleteTemporaryDestination(TernDestination destination) throws JMSException;
}
