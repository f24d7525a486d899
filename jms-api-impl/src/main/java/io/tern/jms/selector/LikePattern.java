package io.tern.jms.selector;

/**
 * A LIKE pattern compiled once: {@code _} is any one character, {@code %} any sequence (empty included), the
 * escape character makes the next {@code _}, {@code %} or escape character literal, and every other character
 * stands for itself (so regular-expression characters need no quoting: no regular expression is involved).
 * Characters are Unicode code points. Matching is the greedy-with-backtrack wildcard algorithm: at most
 * O(pattern length x value length) steps, never exponential.
 */
final class LikePattern {
    private static final int ANY_ONE = -1;
    private static final int ANY_SEQUENCE = -2;

    private final String source;
    private final Integer escape;
    private final int[] tokens;

    private LikePattern(String source, Integer escape, int[] tokens) {
        this.source = source;
        this.escape = escape;
        this.tokens = tokens;
    }

    /**
     * @param escape the escape code point, or null for none
     * @throws IllegalArgumentException when the escape character is followed by anything but {@code _}, {@code %}
     *                                  or itself, or ends the pattern
     */
    static LikePattern compile(String pattern, Integer escape) {
        int[] cps = pattern.codePoints().toArray();
        int[] tokens = new int[cps.length];
        int n = 0;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (escape != null && c == escape) {
                if (i + 1 == cps.length) {
                    throw new IllegalArgumentException("the LIKE pattern '" + pattern
                            + "' ends with its escape character");
                }
                int next = cps[++i];
                if (next != '_' && next != '%' && next != escape) {
                    throw new IllegalArgumentException("in the LIKE pattern '" + pattern
                            + "' the escape character is followed by '" + Character.toString(next)
                            + "'; it may only precede '_', '%' or itself");
                }
                tokens[n++] = next;
            } else if (c == '_') {
                tokens[n++] = ANY_ONE;
            } else if (c == '%') {
                tokens[n++] = ANY_SEQUENCE;
            } else {
                tokens[n++] = c;
            }
        }
        int[] compact = new int[n];
        System.arraycopy(tokens, 0, compact, 0, n);
        return new LikePattern(pattern, escape, compact);
    }

    boolean matches(String value) {
        int[] in = value.codePoints().toArray();
        int p = 0;
        int s = 0;
        int star = -1;
        int mark = 0;
        while (s < in.length) {
            if (p < tokens.length && (tokens[p] == ANY_ONE || tokens[p] == in[s])) {
                p++;
                s++;
            } else if (p < tokens.length && tokens[p] == ANY_SEQUENCE) {
                star = p++;
                mark = s;
            } else if (star >= 0) {
                p = star + 1;
                s = ++mark;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == tokens.length;
    }

    @Override
    public String toString() {
        String quoted = "'" + source.replace("'", "''") + "'";
        return escape == null ? quoted : quoted + " ESCAPE '" + Character.toString(escape).replace("'", "''") + "'";
    }
}
