package io.tern.jms.selector;

import java.util.Set;

/**
 * {@code identifier [NOT] IN ('a', 'b', ...)}: as the spec's equivalent {@code (id = 'a') OR (id = 'b') ...},
 * negated for NOT IN. NULL is UNKNOWN; a value that is not a String equals none of the strings, so IN is FALSE
 * and NOT IN is TRUE, as the equivalent expression gives.
 */
record InList(Identifier identifier, Set<String> strings, boolean negated) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        Object v = identifier.evaluate(context);
        if (v == null) {
            return null;
        }
        boolean in = v instanceof String s && strings.contains(s);
        return in != negated;
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + (negated ? " NOT" : "") + " IN " + strings + ")";
    }
}
