package io.tern.jms.selector;

/** A comparison; see {@link Values#compare}. */
record Comparison(Expression left, Operator operator, Expression right) implements Expression {

    enum Operator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        boolean isEquality() {
            return this == EQ || this == NE;
        }
    }

    @Override
    public Object evaluate(SelectorContext context) {
        Object l = left.evaluate(context);
        if (l == null) {
            return null;
        }
        return Values.compare(l, operator, right.evaluate(context));
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator.symbol + " " + right + ")";
    }
}
