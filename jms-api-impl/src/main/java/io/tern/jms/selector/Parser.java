package io.tern.jms.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A recursive-descent parser for the selector grammar of spec 3.8.1.1, lowest precedence first:
 * <pre>
 * selector   := or END                                   (must be a condition)
 * or         := and ( OR and )*
 * and        := not ( AND not )*
 * not        := NOT not | predicate
 * predicate  := sum [ ( = | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= ) sum
 *                   | [NOT] BETWEEN sum AND sum
 *                   | [NOT] IN '(' string ( ',' string )* ')'      (left side an identifier)
 *                   | [NOT] LIKE string [ ESCAPE string ]          (left side an identifier)
 *                   | IS [NOT] NULL ]                              (left side an identifier)
 * sum        := product ( ( + | - ) product )*
 * product    := unary ( ( * | / ) unary )*
 * unary      := ( + | - ) unary | primary
 * primary    := literal | identifier | '(' or ')'
 * </pre>
 * It also refuses what is wrong whatever the message: a literal of the wrong type where arithmetic, an ordering
 * comparison or a condition is required ({@code 'a' + 1}, {@code x < 'b'}, {@code TRUE > 1}, {@code a AND 5}).
 * A minus directly before an exact literal is part of the literal, so -9223372036854775808 is in range.
 */
final class Parser {
    private final String text;
    private final Lexer lexer;
    private final Set<String> properties = new LinkedHashSet<>();
    private Token current;

    private Parser(String text) throws InvalidSelectorException {
        this.text = text;
        this.lexer = new Lexer(text);
        this.current = lexer.next();
    }

    static Parser of(String text) throws InvalidSelectorException {
        return new Parser(text);
    }

    /** The property names the parsed selector reads, in order of first use. */
    Set<String> properties() {
        return properties;
    }

    Expression parseSelector() throws InvalidSelectorException {
        int start = current.position();
        Expression e = or();
        if (current.type() != Token.Type.END) {
            throw expected("AND, OR or the end of the selector");
        }
        requireCondition(e, start, "a selector");
        return e;
    }

    private Expression or() throws InvalidSelectorException {
        int start = current.position();
        Expression left = and();
        while (current.type() == Token.Type.OR) {
            requireCondition(left, start, "the left side of OR");
            advance();
            int rightStart = current.position();
            Expression right = and();
            requireCondition(right, rightStart, "the right side of OR");
            left = new Logical(left, false, right);
        }
        return left;
    }

    private Expression and() throws InvalidSelectorException {
        int start = current.position();
        Expression left = not();
        while (current.type() == Token.Type.AND) {
            requireCondition(left, start, "the left side of AND");
            advance();
            int rightStart = current.position();
            Expression right = not();
            requireCondition(right, rightStart, "the right side of AND");
            left = new Logical(left, true, right);
        }
        return left;
    }

    private Expression not() throws InvalidSelectorException {
        if (current.type() == Token.Type.NOT) {
            advance();
            int start = current.position();
            Expression operand = not();
            requireCondition(operand, start, "the operand of NOT");
            return new Not(operand);
        }
        return predicate();
    }

    private Expression predicate() throws InvalidSelectorException {
        int start = current.position();
        Expression left = sum();
        Comparison.Operator op = comparisonOperator(current.type());
        if (op != null) {
            advance();
            int rightStart = current.position();
            Expression right = sum();
            if (!op.isEquality()) {
                requireNumber(left, start, "the left side of " + op.symbol);
                requireNumber(right, rightStart, "the right side of " + op.symbol);
            }
            return new Comparison(left, op, right);
        }
        if (current.type() == Token.Type.IS) {
            Identifier id = requireIdentifier(left, start, "IS NULL");
            advance();
            boolean negated = accept(Token.Type.NOT);
            expect(Token.Type.NULL, "NULL");
            return new IsNull(id, negated);
        }
        boolean negated = false;
        if (current.type() == Token.Type.NOT) {
            advance();
            negated = true;
            if (current.type() != Token.Type.BETWEEN && current.type() != Token.Type.IN
                    && current.type() != Token.Type.LIKE) {
                throw expected("BETWEEN, IN or LIKE after NOT");
            }
        }
        switch (current.type()) {
            case BETWEEN:
                return between(left, start, negated);
            case IN:
                return in(requireIdentifier(left, start, "IN"), negated);
            case LIKE:
                return like(requireIdentifier(left, start, "LIKE"), negated);
            default:
                return left;
        }
    }

    private Expression between(Expression value, int start, boolean negated) throws InvalidSelectorException {
        requireNumber(value, start, "the left side of BETWEEN");
        advance();
        int lowStart = current.position();
        Expression low = sum();
        requireNumber(low, lowStart, "the lower bound of BETWEEN");
        expect(Token.Type.AND, "AND (between the bounds of BETWEEN)");
        int highStart = current.position();
        Expression high = sum();
        requireNumber(high, highStart, "the upper bound of BETWEEN");
        return new Between(value, low, high, negated);
    }

    private Expression in(Identifier id, boolean negated) throws InvalidSelectorException {
        advance();
        expect(Token.Type.LPAREN, "'(' after IN");
        Set<String> strings = new LinkedHashSet<>();
        do {
            if (current.type() != Token.Type.STRING) {
                throw expected("a string literal (IN lists hold string literals only)");
            }
            strings.add(current.text());
            advance();
        } while (accept(Token.Type.COMMA));
        expect(Token.Type.RPAREN, "',' or ')' in the IN list");
        return new InList(id, Set.copyOf(strings), negated);
    }

    private Expression like(Identifier id, boolean negated) throws InvalidSelectorException {
        advance();
        if (current.type() != Token.Type.STRING) {
            throw expected("a string literal pattern after LIKE");
        }
        Token pattern = current;
        advance();
        Integer escape = null;
        if (accept(Token.Type.ESCAPE)) {
            if (current.type() != Token.Type.STRING
                    || current.text().codePointCount(0, current.text().length()) != 1) {
                throw expected("a string literal of one character after ESCAPE");
            }
            escape = current.text().codePointAt(0);
            advance();
        }
        try {
            return new Like(id, LikePattern.compile(pattern.text(), escape), negated);
        } catch (IllegalArgumentException e) {
            throw error(text, pattern.position(), e.getMessage());
        }
    }

    private Expression sum() throws InvalidSelectorException {
        int start = current.position();
        Expression left = product();
        while (current.type() == Token.Type.PLUS || current.type() == Token.Type.MINUS) {
            Arithmetic.Operator op = current.type() == Token.Type.PLUS
                    ? Arithmetic.Operator.ADD : Arithmetic.Operator.SUBTRACT;
            left = arithmetic(left, start, op, this::product);
        }
        return left;
    }

    private Expression product() throws InvalidSelectorException {
        int start = current.position();
        Expression left = unary();
        while (current.type() == Token.Type.STAR || current.type() == Token.Type.SLASH) {
            Arithmetic.Operator op = current.type() == Token.Type.STAR
                    ? Arithmetic.Operator.MULTIPLY : Arithmetic.Operator.DIVIDE;
            left = arithmetic(left, start, op, this::unary);
        }
        return left;
    }

    private interface Operand {
        Expression parse() throws InvalidSelectorException;
    }

    private Expression arithmetic(Expression left, int start, Arithmetic.Operator op, Operand operand)
            throws InvalidSelectorException {
        requireNumber(left, start, "the left side of " + op.symbol);
        advance();
        int rightStart = current.position();
        Expression right = operand.parse();
        requireNumber(right, rightStart, "the right side of " + op.symbol);
        return new Arithmetic(left, op, right);
    }

    private Expression unary() throws InvalidSelectorException {
        if (current.type() == Token.Type.PLUS || current.type() == Token.Type.MINUS) {
            boolean minus = current.type() == Token.Type.MINUS;
            advance();
            if (minus && current.type() == Token.Type.EXACT) {
                Token literal = current;
                advance();
                return new Literal(exactValue(literal, true));
            }
            int start = current.position();
            Expression operand = unary();
            requireNumber(operand, start, "the operand of unary " + (minus ? "-" : "+"));
            if (!minus) {
                return operand;
            }
            return operand instanceof Literal l ? new Literal(Values.negate(l.value())) : new Negation(operand);
        }
        return primary();
    }

    private Expression primary() throws InvalidSelectorException {
        Token t = current;
        switch (t.type()) {
            case STRING:
                advance();
                return new Literal(t.text());
            case EXACT:
                advance();
                return new Literal(exactValue(t, false));
            case APPROXIMATE:
            case FLOAT:
                advance();
                return new Literal(approximateValue(t));
            case TRUE:
                advance();
                return Literal.TRUE;
            case FALSE:
                advance();
                return Literal.FALSE;
            case IDENTIFIER:
                advance();
                Identifier id = Identifier.of(t.text());
                if (id.isProperty()) {
                    properties.add(id.name());
                }
                return id;
            case LPAREN:
                advance();
                Expression inner = or();
                expect(Token.Type.RPAREN, "')'");
                return inner;
            case NULL:
                throw error(text, t.position(), "NULL may only appear in IS NULL and IS NOT NULL");
            default:
                throw expected(t.type().isKeyword() && t.type() != Token.Type.END
                        ? "an operand (a literal, an identifier or '('); " + t.type() + " is a reserved word and"
                        + " cannot be an identifier"
                        : "an operand (a literal, an identifier or '(')");
        }
    }

    private long exactValue(Token t, boolean negative) throws InvalidSelectorException {
        try {
            if (t.radix() == 10) {
                return Long.parseLong(negative ? "-" + t.text() : t.text());
            }
            long v = Long.parseUnsignedLong(t.text(), t.radix());
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw error(text, t.position(), "the exact numeric literal " + (negative ? "-" : "") + t.text()
                    + " is outside the range of a Java long");
        }
    }

    private double approximateValue(Token t) throws InvalidSelectorException {
        double v;
        boolean isFloat = t.type() == Token.Type.FLOAT;
        try {
            v = isFloat ? Float.parseFloat(t.text()) : Double.parseDouble(t.text());
        } catch (NumberFormatException e) {
            throw error(text, t.position(), "'" + t.text() + "' is not a valid numeric literal");
        }
        String mantissa = t.text().split("[eE]")[0];
        if (Double.isInfinite(v) || (v == 0 && mantissa.chars().anyMatch(c -> c >= '1' && c <= '9'))) {
            throw error(text, t.position(), "the approximate numeric literal " + t.text() + " is outside the range of"
                    + " a Java " + (isFloat ? "float" : "double"));
        }
        return v;
    }

    private void requireCondition(Expression e, int position, String where) throws InvalidSelectorException {
        if (!e.kind().canBeCondition()) {
            throw error(text, position, where + " must be a condition, not " + describe(e));
        }
    }

    private void requireNumber(Expression e, int position, String where) throws InvalidSelectorException {
        if (!e.kind().canBeNumber()) {
            throw error(text, position, where + " must be numeric, not " + describe(e));
        }
    }

    private Identifier requireIdentifier(Expression e, int position, String operator)
            throws InvalidSelectorException {
        if (e instanceof Identifier id) {
            return id;
        }
        throw error(text, position, "the left side of " + operator + " must be an identifier, not " + describe(e));
    }

    private static String describe(Expression e) {
        return switch (e.kind()) {
            case STRING -> "the string literal " + e;
            case NUMBER -> e instanceof Literal ? "the number " + e : "an arithmetic expression";
            case BOOLEAN -> e instanceof Literal ? "the boolean literal " + e : "a condition";
            case ANY -> "identifier " + e;
        };
    }

    private static Comparison.Operator comparisonOperator(Token.Type type) {
        return switch (type) {
            case EQ -> Comparison.Operator.EQ;
            case NE -> Comparison.Operator.NE;
            case LT -> Comparison.Operator.LT;
            case LE -> Comparison.Operator.LE;
            case GT -> Comparison.Operator.GT;
            case GE -> Comparison.Operator.GE;
            default -> null;
        };
    }

    private void advance() throws InvalidSelectorException {
        current = lexer.next();
    }

    private boolean accept(Token.Type type) throws InvalidSelectorException {
        if (current.type() == type) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(Token.Type type, String what) throws InvalidSelectorException {
        if (!accept(type)) {
            throw expected(what);
        }
    }

    private InvalidSelectorException expected(String what) {
        return error(text, current.position(), "expected " + what + " but found " + current.describe());
    }

    /** An InvalidSelectorException naming the 1-based position, the problem and the selector. */
    static InvalidSelectorException error(String text, int position, String problem) {
        return new InvalidSelectorException("invalid message selector at position " + (position + 1) + ": " + problem
                + " in \"" + text + "\"");
    }
}
