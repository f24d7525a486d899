package io.tern.jms.selector;

/** Unary minus of a non-literal operand (a minus before a numeric literal is folded into the literal). */
record Negation(Expression operand) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        return Values.negate(operand.evaluate(context));
    }

    @Override
    public Kind kind() {
        return Kind.NUMBER;
    }

    @Override
    public String toString() {
        return "(-" + operand + ")";
    }
}
