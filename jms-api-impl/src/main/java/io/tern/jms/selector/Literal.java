package io.tern.jms.selector;

/** A string, exact numeric (Long), approximate numeric (Double) or boolean literal. */
record Literal(Object value) implements Expression {
    static final Literal TRUE = new Literal(Boolean.TRUE);
    static final Literal FALSE = new Literal(Boolean.FALSE);

    @Override
    public Object evaluate(SelectorContext context) {
        return value;
    }

    @Override
    public Kind kind() {
        if (value instanceof Boolean) {
            return Kind.BOOLEAN;
        }
        return value instanceof String ? Kind.STRING : Kind.NUMBER;
    }

    @Override
    public String toString() {
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        return value instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(value);
    }
}
