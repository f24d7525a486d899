package io.tern.jms.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.Set;

/**
 * A parsed message selector (spec 3.8.1): immutable and safe to share between threads. Parse once with
 * {@link #parse}, then call {@link #matches} per message; evaluation walks the expression tree with no reflection
 * and never throws (exceptions thrown by the {@link SelectorContext}, such as a malformed properties section, pass
 * through to the caller).
 *
 * <p>Where the spec leaves a case open, Tern decides as follows, each time taking the value the spec's own
 * equivalences give or else UNKNOWN, so that a doubtful message is not selected:
 * <ul>
 * <li>Exact numerics compute as Java long (literals may use the whole long range), approximate ones as double.
 * Integer division by zero is UNKNOWN (Java would throw); approximate division by zero follows IEEE 754.</li>
 * <li>Arithmetic with a non-numeric value (a String property, say) is UNKNOWN; a non-boolean value used as a
 * condition is UNKNOWN.</li>
 * <li>{@code <, <=, >, >=} on strings or booleans held by identifiers is FALSE; with a string or boolean literal the
 * selector is refused at parse time.</li>
 * <li>IN and LIKE on a value that is not a String are FALSE (and NOT IN, NOT LIKE TRUE), as comparing unlike types
 * is FALSE; on NULL they are UNKNOWN.</li>
 * <li>Header names other than the six of {@link SelectorHeader} that start with {@code JMS} (JMSExpiration,
 * JMSRedelivered, ...) are NULL; {@code JMSX...} and {@code JMS_...} names are properties.</li>
 * </ul>
 */
public final class Selector {
    /** The selector of a consumer that has none: every message matches. */
    public static final Selector MATCH_ALL = new Selector(null, Literal.TRUE, Set.of());

    private final String text;
    private final Expression expression;
    private final Set<String> propertyNames;

    private Selector(String text, Expression expression, Set<String> propertyNames) {
        this.text = text;
        this.expression = expression;
        this.propertyNames = propertyNames;
    }

    /**
     * Parses a selector. A null, empty or blank selector is {@link #MATCH_ALL}.
     *
     * @throws InvalidSelectorException naming the position (1-based), what was expected or wrong, and the selector
     */
    public static Selector parse(String text) throws InvalidSelectorException {
        if (text == null || text.isBlank()) {
            return MATCH_ALL;
        }
        Parser parser = Parser.of(text);
        Expression expression = parser.parseSelector();
        return new Selector(text, expression, Set.copyOf(parser.properties()));
    }

    /** True when the selector evaluates to TRUE for the message; FALSE and UNKNOWN do not match. */
    public boolean matches(SelectorContext message) {
        return Boolean.TRUE.equals(expression.evaluate(message));
    }

    /** True for {@link #MATCH_ALL}. */
    public boolean matchesAll() {
        return this == MATCH_ALL;
    }

    /** The selector as given, or null for {@link #MATCH_ALL}. */
    public String text() {
        return text;
    }

    /**
     * The property names the selector reads (header fields excluded). When empty, {@link SelectorContext#property}
     * is never called, so a broker need not read the message's properties.
     */
    public Set<String> propertyNames() {
        return propertyNames;
    }

    /** The parsed form with full parentheses, e.g. {@code ((a = 1) AND (b IS NULL))}: for tests and logs. */
    public String describe() {
        return expression.toString();
    }

    @Override
    public String toString() {
        return text == null ? "<no selector>" : text;
    }
}
