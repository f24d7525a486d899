package io.tern.broker.selector;

import io.tern.broker.destination.BrokerMessage;
import io.tern.jms.message.PropertyNames;
import io.tern.jms.selector.Selector;
import io.tern.jms.selector.SelectorContext;
import io.tern.jms.selector.SelectorHeader;
import io.tern.jms.wire.MalformedFrameException;
import jakarta.jms.InvalidSelectorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's selector on the broker side: which messages it may be given. Evaluation reads the envelope's header
 * and, only when the selector names a property and evaluation reaches it, the properties section (parsed once per
 * message and cached by the envelope). {@code JMSXDeliveryCount} is the count the next delivery would carry,
 * which the broker knows and the envelope does not. A message whose properties section is malformed matches no
 * selector that reads properties; it is logged once (TERN-B0401) and never parsed again.
 */
public final class MessageFilter {
    private static final Logger LOG = LoggerFactory.getLogger(MessageFilter.class);

    /** The filter of a consumer without a selector. */
    public static final MessageFilter ALL = new MessageFilter(Selector.MATCH_ALL);

    private final Selector selector;

    private MessageFilter(Selector selector) {
        this.selector = selector;
    }

    /**
     * Parses a selector as a client sent it; null or blank gives {@link #ALL}.
     *
     * @throws InvalidSelectorException naming the position and the problem
     */
    public static MessageFilter parse(String selector) throws InvalidSelectorException {
        Selector parsed = Selector.parse(selector);
        return parsed.matchesAll() ? ALL : new MessageFilter(parsed);
    }

    /** True for a consumer without a selector: every message matches. */
    public boolean matchesAll() {
        return selector.matchesAll();
    }

    /**
     * @param deliveryCount the JMSXDeliveryCount the message would be delivered with (1 the first time)
     */
    public boolean matches(BrokerMessage message, int deliveryCount) {
        if (selector.matchesAll()) {
            return true;
        }
        try {
            return selector.matches(new Context(message, deliveryCount));
        } catch (MalformedFrameException e) {
            if (message.markPropertiesUnreadable()) {
                LOG.warn("TERN-B0401 message {} on {} has a malformed properties section ({}); it matches no"
                        + " selector that reads properties", message.header().messageId(),
                        message.header().destination(), e.getMessage());
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return selector.toString();
    }

    private record Context(BrokerMessage message, int deliveryCount) implements SelectorContext {

        @Override
        public Object header(SelectorHeader field) {
            return field.valueIn(message.header());
        }

        @Override
        public Object property(String name) {
            if (PropertyNames.DELIVERY_COUNT.equals(name)) {
                return deliveryCount;
            }
            if (message.propertiesUnreadable()) {
                throw new MalformedFrameException("properties section already found malformed");
            }
            return message.envelope().properties().get(name);
        }
    }
}
