package io.tern.jms.selector;

/** A binary arithmetic operation; see {@link Values#arithmetic}. */
record Arithmetic(Expression left, Operator operator, Expression right) implements Expression {

    enum Operator {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    @Override
    public Object evaluate(SelectorContext context) {
        Object l = left.evaluate(context);
        if (l == null) {
            return null;
        }
        return Values.arithmetic(l, operator, right.evaluate(context));
    }

    @Override
    public Kind kind() {
        return Kind.NUMBER;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator.symbol + " " + right + ")";
    }
}
