package io.tern.jms.selector;

/**
 * {@code identifier [NOT] LIKE 'pattern' [ESCAPE 'c']}, with the pattern compiled once by the parser. NULL is
 * UNKNOWN; a value that is not a String does not match (LIKE is FALSE, NOT LIKE TRUE), as comparing unlike types
 * is FALSE.
 */
record Like(Identifier identifier, LikePattern pattern, boolean negated) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        Object v = identifier.evaluate(context);
        if (v == null) {
            return null;
        }
        boolean matches = v instanceof String s && pattern.matches(s);
        return matches != negated;
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + (negated ? " NOT" : "") + " LIKE " + pattern + ")";
    }
}
