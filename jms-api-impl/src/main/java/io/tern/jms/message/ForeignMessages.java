package io.tern.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Enumeration;

/**
 * Copies a message of another provider into a writable Tern message of the matching type, so that it can be sent.
 *
 * <ul>
 * <li>Every header field is copied as it is, JMSDestination and JMSReplyTo included: a foreign destination there is
 * refused when the copy is encoded (the producer sets JMSDestination itself).</li>
 * <li>Properties are copied except names starting with {@code JMS}, which belong to the other provider; of those only
 * {@code JMSXGroupID} and {@code JMSXGroupSeq} are kept.</li>
 * <li>Bytes and Stream bodies are read after {@code reset()}, which leaves the foreign message in read mode.</li>
 * </ul>
 */
final class ForeignMessages {
    private ForeignMessages() {
    }

    static TernMessage copyOf(Message foreign) throws JMSException {
        TernMessage copy;
        if (foreign instanceof TextMessage text) {
            copy = new TernTextMessage(text.getText());
        } else if (foreign instanceof BytesMessage bytes) {
            copy = copyBytes(bytes);
        } else if (foreign instanceof MapMessage map) {
            copy = copyMap(map);
        } else if (foreign instanceof ObjectMessage object) {
            TernObjectMessage o = new TernObjectMessage();
            o.setObject(object.getObject());
            copy = o;
        } else if (foreign instanceof StreamMessage stream) {
            copy = copyStream(stream);
        } else {
            copy = new TernMessage();
        }
        copyHeaders(foreign, copy);
        copyProperties(foreign, copy);
        return copy;
    }

    private static void copyHeaders(Message from, TernMessage to) throws JMSException {
        to.setJMSMessageID(from.getJMSMessageID());
        to.setJMSTimestamp(from.getJMSTimestamp());
        String correlationId = from.getJMSCorrelationID();
        if (correlationId != null) {
            to.setJMSCorrelationID(correlationId);
        } else {
            to.setJMSCorrelationIDAsBytes(correlationBytes(from));
        }
        to.setJMSReplyTo(from.getJMSReplyTo());
        to.setJMSDestination(from.getJMSDestination());
        to.setJMSDeliveryMode(from.getJMSDeliveryMode());
        to.setJMSRedelivered(from.getJMSRedelivered());
        to.setJMSType(from.getJMSType());
        to.setJMSExpiration(from.getJMSExpiration());
        to.setJMSDeliveryTime(from.getJMSDeliveryTime());
        to.setJMSPriority(from.getJMSPriority());
    }

    /** The spec makes byte[] correlation ids optional, so a provider may refuse to give them. */
    private static byte[] correlationBytes(Message from) throws JMSException {
        try {
            return from.getJMSCorrelationIDAsBytes();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static void copyProperties(Message from, TernMessage to) throws JMSException {
        Enumeration<?> names = from.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMS") || PropertyNames.isSendableReserved(name)) {
                to.setObjectProperty(name, from.getObjectProperty(name));
            }
        }
    }

    private static TernMessage copyBytes(BytesMessage from) throws JMSException {
        TernBytesMessage to = new TernBytesMessage();
        from.reset();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = from.readBytes(buffer)) > 0) {
            to.writeBytes(buffer, 0, n);
        }
        return to;
    }

    private static TernMessage copyMap(MapMessage from) throws JMSException {
        TernMapMessage to = new TernMapMessage();
        Enumeration<?> names = from.getMapNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            to.setObject(name, from.getObject(name));
        }
        return to;
    }

    private static TernMessage copyStream(StreamMessage from) throws JMSException {
        TernStreamMessage to = new TernStreamMessage();
        from.reset();
        while (true) {
            Object item;
            try {
                item = from.readObject();
            } catch (MessageEOFException end) {
                return to;
            }
            to.writeObject(item);
        }
    }
}
