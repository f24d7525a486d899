package io.tern.jms.selector;

/** {@code identifier IS [NOT] NULL}: never UNKNOWN. */
record IsNull(Identifier identifier, boolean negated) implements Expression {

    @Override
    public Object evaluate(SelectorContext context) {
        return (identifier.evaluate(context) == null) != negated;
    }

    @Override
    public Kind kind() {
        return Kind.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + (negated ? " IS NOT NULL)" : " IS NULL)");
    }
}
