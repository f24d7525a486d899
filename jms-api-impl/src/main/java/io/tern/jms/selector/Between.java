package io.tern.jms.selector;

/**
 * {@code e [NOT] BETWEEN low AND high}, evaluated exactly as the spec's equivalents: {@code e >= low AND e <= high},
 * and for NOT {@code e < low OR e > high} (so a string value is FALSE both ways, NULL is UNKNOWN).
 */
record Between(Expression value, Expression low, Expression high, boolean negated) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        Object v = value.evaluate(context);
        if (v == null) {
            return null;
        }
        Object lo = low.evaluate(context);
        Object hi = high.evaluate(context);
        if (negated) {
            return or(Values.compare(v, Comparison.Operator.LT, lo), Values.compare(v, Comparison.Operator.GT, hi));
        }
        return and(Values.compare(v, Comparison.Operator.GE, lo), Values.compare(v, Comparison.Operator.LE, hi));
    }

    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return Boolean.FALSE;
        }
        return a == null || b == null ? null : Boolean.TRUE;
    }

    private static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return Boolean.TRUE;
        }
        return a == null || b == null ? null : Boolean.FALSE;
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + value + (negated ? " NOT" : "") + " BETWEEN " + low + " AND " + high + ")";
    }
}
