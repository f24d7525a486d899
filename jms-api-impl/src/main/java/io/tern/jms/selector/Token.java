package io.tern.jms.selector;

/**
 * One lexical token of a selector.
 *
 * @param type     what it is
 * @param text     the source text (for an identifier its name, for a string literal its value with {@code ''}
 *                 undone, for a number its digits without underscores, prefix or suffix)
 * @param radix    for an exact numeric literal: 10, 16, 8 or 2
 * @param position the index of its first character in the selector
 */
record Token(Type type, String text, int radix, int position) {

    enum Type {
        IDENTIFIER, STRING, EXACT, APPROXIMATE, FLOAT,
        TRUE, FALSE, NULL, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE,
        LPAREN("'('"), RPAREN("')'"), COMMA("','"),
        EQ("'='"), NE("'<>'"), LT("'<'"), LE("'<='"), GT("'>'"), GE("'>='"),
        PLUS("'+'"), MINUS("'-'"), STAR("'*'"), SLASH("'/'"),
        END("the end of the selector");

        private final String description;

        Type() {
            this.description = null;
        }

        Type(String description) {
            this.description = description;
        }

        boolean isKeyword() {
            return ordinal() >= TRUE.ordinal() && ordinal() <= ESCAPE.ordinal();
        }
    }

    /** How an error message names this token. */
    String describe() {
        return switch (type) {
            case IDENTIFIER -> "identifier '" + text + "'";
            case STRING -> "string literal '" + text.replace("'", "''") + "'";
            case EXACT, APPROXIMATE, FLOAT -> "number " + text;
            default -> type.isKeyword() ? type.name() : type.description;
        };
    }
}
