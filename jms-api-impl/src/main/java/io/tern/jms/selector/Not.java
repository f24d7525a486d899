package io.tern.jms.selector;

/** NOT: TRUE and FALSE swap, UNKNOWN stays UNKNOWN (spec table 3-6). */
record Not(Expression operand) implements Expression {

    static Boolean not(Boolean b) {
        return b == null ? null : !b;
    }

    @Override
    public Object evaluate(SelectorContext context) {
        return not(Values.condition(operand.evaluate(context)));
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(NOT " + operand + ")";
    }
}
