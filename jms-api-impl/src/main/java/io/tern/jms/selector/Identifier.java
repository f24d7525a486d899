package io.tern.jms.selector;

/**
 * A name in a selector: one of the {@link SelectorHeader} fields, a property, or a name starting with {@code JMS}
 * that is neither (such as JMSExpiration or JMSReplyTo), which the spec does not let a selector use and which is
 * therefore always NULL: no property can carry a reserved name.
 */
record Identifier(String name, SelectorHeader header, boolean alwaysNull) implements Expression {

    static Identifier of(String name) {
        SelectorHeader header = SelectorHeader.byIdentifier(name);
        boolean reserved = header == null && name.startsWith("JMS") && !name.startsWith("JMSX")
                && !name.startsWith("JMS_");
        return new Identifier(name, header, reserved);
    }

    boolean isProperty() {
        return header == null && !alwaysNull;
    }

    @Override
    public Object evaluate(SelectorContext context) {
        if (header != null) {
            return context.header(header);
        }
        return alwaysNull ? null : context.property(name);
    }

    @Override
    public Kind kind() {
        return Kind.ANY;
    }

    @Override
    public String toString() {
        return name;
    }
}
