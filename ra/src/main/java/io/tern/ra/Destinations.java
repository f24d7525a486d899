package io.tern.ra;

import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

/** Turns the adapter's admin objects ({@link AdminQueue}, {@link AdminTopic}) into the client's destinations. */
final class Destinations {
    private Destinations() {
    }

    static Destination toTern(Destination d) throws JMSException {
        if (d instanceof AdminQueue q) {
            return new TernQueue(require(q.getPhysicalName(), q));
        }
        if (d instanceof AdminTopic t) {
            return new TernTopic(require(t.getPhysicalName(), t));
        }
        return d;
    }

    static Queue toTern(Queue q) throws JMSException {
        return (Queue) toTern((Destination) q);
    }

    static Topic toTern(Topic t) throws JMSException {
        return (Topic) toTern((Destination) t);
    }

    /** A reply-to set to an admin object is replaced by the Tern destination before the message is sent. */
    static void fixReplyTo(Message m) throws JMSException {
        if (m != null) {
            Destination replyTo = m.getJMSReplyTo();
            if (replyTo instanceof AdminDestination) {
                m.setJMSReplyTo(toTern(replyTo));
            }
        }
    }

    private static String require(String name, Destination d) throws InvalidDestinationException {
        if (name == null || name.isBlank()) {
            throw new InvalidDestinationException("the admin object " + d.getClass().getSimpleName()
                    + " has no PhysicalName; set its PhysicalName property in the server's configuration");
        }
        return name;
    }
}
