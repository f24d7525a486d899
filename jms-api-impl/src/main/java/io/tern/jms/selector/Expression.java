package io.tern.jms.selector;

/**
 * A node of a parsed selector: immutable, evaluated against one message. {@link #evaluate} returns a Boolean (null
 * for SQL UNKNOWN) for conditions, and for other expressions a Long (exact numeric), Double (approximate numeric),
 * String, Boolean, the raw value of an identifier, or null for NULL. Evaluation never throws.
 */
sealed interface Expression
        permits Literal, Identifier, Arithmetic, Negation, Comparison, Logical, Not, Between, InList, Like, IsNull {

    /** What the parser knows of an expression's type before any message is seen. */
    enum Kind {
        /** A condition or a boolean literal. */
        BOOLEAN,
        /** A numeric literal or arithmetic. */
        NUMBER,
        /** A string literal. */
        STRING,
        /** An identifier: its type is that of the value a message gives it. */
        ANY;

        boolean canBeNumber() {
            return this == NUMBER || this == ANY;
        }

        boolean canBeCondition() {
            return this == BOOLEAN || this == ANY;
        }
    }

    Object evaluate(SelectorContext context);

    Kind kind();
}
