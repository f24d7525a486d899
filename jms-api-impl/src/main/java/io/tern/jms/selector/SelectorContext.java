package io.tern.jms.selector;

/**
 * What a {@link Selector} reads from one message. The broker implements it over a message envelope (reading the
 * properties section only when {@link #property} is first called), a client over a message object.
 */
public interface SelectorContext {

    /** The value of a header field a selector may name, of the type {@link SelectorHeader} lists; null for none. */
    Object header(SelectorHeader field);

    /**
     * The value of a property as it was set: a Boolean, Byte, Short, Integer, Long, Float, Double or String, or null
     * when the message has no such property. No conversion applies: a String "2" is a String.
     */
    Object property(String name);
}
