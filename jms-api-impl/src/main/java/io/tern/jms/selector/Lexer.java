package io.tern.jms.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.Map;

/**
 * Splits a selector into {@link Token}s (spec 3.8.1.1): Java whitespace (space, tab, form feed, CR, LF);
 * identifiers by {@link Character#isJavaIdentifierStart}/{@link Character#isJavaIdentifierPart}; the keywords
 * NULL TRUE FALSE NOT AND OR BETWEEN LIKE IN IS ESCAPE in any (ASCII) case; string literals in single quotes with
 * {@code ''} for a quote; numbers in Java literal syntax: exact ones decimal, {@code 0x} hex, leading-0 octal or
 * {@code 0b} binary with an optional {@code L} and underscores between digits, approximate ones with a decimal
 * point, an exponent or an {@code f}/{@code d} suffix (hexadecimal floating point is not accepted). As in Java,
 * a token ends where its syntax does: {@code 1AND} is the number 1 followed by AND.
 */
final class Lexer {
    private static final Map<String, Token.Type> KEYWORDS = Map.ofEntries(
            Map.entry("NULL", Token.Type.NULL), Map.entry("TRUE", Token.Type.TRUE),
            Map.entry("FALSE", Token.Type.FALSE), Map.entry("NOT", Token.Type.NOT), Map.entry("AND", Token.Type.AND),
            Map.entry("OR", Token.Type.OR), Map.entry("BETWEEN", Token.Type.BETWEEN),
            Map.entry("LIKE", Token.Type.LIKE), Map.entry("IN", Token.Type.IN), Map.entry("IS", Token.Type.IS),
            Map.entry("ESCAPE", Token.Type.ESCAPE));

    private final String text;
    private int pos;

    Lexer(String text) {
        this.text = text;
    }

    Token next() throws InvalidSelectorException {
        skipWhitespace();
        if (pos >= text.length()) {
            return new Token(Token.Type.END, "", 0, pos);
        }
        int start = pos;
        char c = text.charAt(pos);
        if (c == '\'') {
            return string(start);
        }
        if (isDigit(c) || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            return number(start);
        }
        if (Character.isJavaIdentifierStart(text.codePointAt(pos))) {
            return word(start);
        }
        pos++;
        switch (c) {
            case '(':
                return symbol(Token.Type.LPAREN, start);
            case ')':
                return symbol(Token.Type.RPAREN, start);
            case ',':
                return symbol(Token.Type.COMMA, start);
            case '=':
                return symbol(Token.Type.EQ, start);
            case '+':
                return symbol(Token.Type.PLUS, start);
            case '-':
                return symbol(Token.Type.MINUS, start);
            case '*':
                return symbol(Token.Type.STAR, start);
            case '/':
                return symbol(Token.Type.SLASH, start);
            case '<':
                if (accept('>')) {
                    return symbol(Token.Type.NE, start);
                }
                return symbol(accept('=') ? Token.Type.LE : Token.Type.LT, start);
            case '>':
                return symbol(accept('=') ? Token.Type.GE : Token.Type.GT, start);
            default:
                throw Parser.error(text, start, "unexpected character '" + Character.toString(text.codePointAt(start))
                        + "'" + (c == '!' ? " (not equal is written <>)" : c == '"' ? " (strings are in single"
                        + " quotes)" : ""));
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private static Token symbol(Token.Type type, int start) {
        return new Token(type, "", 0, start);
    }

    private Token word(int start) {
        pos += Character.charCount(text.codePointAt(pos));
        while (pos < text.length() && Character.isJavaIdentifierPart(text.codePointAt(pos))) {
            pos += Character.charCount(text.codePointAt(pos));
        }
        String word = text.substring(start, pos);
        Token.Type keyword = isAscii(word) ? KEYWORDS.get(word.toUpperCase(java.util.Locale.ROOT)) : null;
        return new Token(keyword == null ? Token.Type.IDENTIFIER : keyword, word, 0, start);
    }

    private Token string(int start) throws InvalidSelectorException {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw Parser.error(text, start, "the string literal starting here is not closed with '");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                if (pos < text.length() && text.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else {
                    return new Token(Token.Type.STRING, value.toString(), 0, start);
                }
            } else {
                value.append(c);
            }
        }
    }

    private Token number(int start) throws InvalidSelectorException {
        char c = text.charAt(pos);
        char x = pos + 1 < text.length() ? Character.toLowerCase(text.charAt(pos + 1)) : 0;
        if (c == '0' && (x == 'x' || x == 'b')) {
            pos += 2;
            int radix = x == 'x' ? 16 : 2;
            int digitsAt = pos;
            while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
                pos++;
            }
            String digits = text.substring(digitsAt, pos);
            accept('L', 'l');
            if (digits.isEmpty() || !underscoresBetweenDigits(digits, radix)) {
                throw malformed(start);
            }
            return new Token(Token.Type.EXACT, digits.replace("_", ""), radix, start);
        }
        skipDigits();
        boolean approximate = false;
        if (accept('.')) {
            approximate = true;
            skipDigits();
        }
        if (accept('e', 'E')) {
            approximate = true;
            accept('+', '-');
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw malformed(start);
            }
            skipDigits();
        }
        String body = text.substring(start, pos);
        Token.Type type = approximate ? Token.Type.APPROXIMATE : Token.Type.EXACT;
        if (accept('f', 'F')) {
            type = Token.Type.FLOAT;
        } else if (accept('d', 'D')) {
            type = Token.Type.APPROXIMATE;
        } else if (!approximate) {
            accept('L', 'l');
        }
        if (!underscoresBetweenDigits(body, 10)) {
            throw malformed(start);
        }
        String digits = body.replace("_", "");
        if (type != Token.Type.EXACT) {
            return new Token(type, digits, 0, start);
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            for (int i = 1; i < digits.length(); i++) {
                if (digits.charAt(i) > '7') {
                    throw Parser.error(text, start, "the octal literal " + text.substring(start, pos)
                            + " has a digit that is not octal");
                }
            }
            return new Token(Token.Type.EXACT, digits.substring(1), 8, start);
        }
        return new Token(Token.Type.EXACT, digits, 10, start);
    }

    private void skipDigits() {
        while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
    }

    private boolean accept(char a, char b) {
        return accept(a) || accept(b);
    }

    private InvalidSelectorException malformed(int start) {
        return Parser.error(text, start, "'" + text.substring(start, pos) + "' is not a valid numeric literal");
    }

    /** Java's rule: underscores only between two digits. */
    private static boolean underscoresBetweenDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_') {
                if (i == 0 || Character.digit(s.charAt(i - 1), radix) < 0) {
                    return false;
                }
                int j = i;
                while (j < s.length() && s.charAt(j) == '_') {
                    j++;
                }
                if (j == s.length() || Character.digit(s.charAt(j), radix) < 0) {
                    return false;
                }
                i = j;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }
}
