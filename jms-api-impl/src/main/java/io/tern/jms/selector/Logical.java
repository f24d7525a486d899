package io.tern.jms.selector;

/**
 * AND or OR with SQL three-valued logic (spec tables 3-4 and 3-5): FALSE AND anything is FALSE, TRUE OR anything
 * is TRUE, otherwise UNKNOWN wins over the remaining value. Evaluates the right side only when it can matter.
 */
record Logical(Expression left, boolean isAnd, Expression right) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        Boolean l = Values.condition(left.evaluate(context));
        Boolean decisive = isAnd ? Boolean.FALSE : Boolean.TRUE;
        if (decisive.equals(l)) {
            return decisive;
        }
        Boolean r = Values.condition(right.evaluate(context));
        if (decisive.equals(r)) {
            return decisive;
        }
        return l == null || r == null ? null : l;
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + (isAnd ? " AND " : " OR ") + right + ")";
    }
}
