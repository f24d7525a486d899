package io.tern.jms.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.InvalidSelectorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which selectors parse, and what the error says for those that do not. */
class SelectorSyntaxTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "JMSType = 'car' AND color = 'blue' AND weight > 2500",
            "prop_name IS NULL", "prop_name IS NOT NULL", "phone LIKE '12%3'", "word LIKE 'l_se'",
            "underscored LIKE '\\_%' ESCAPE '\\'", "phone NOT LIKE '12%3'", "Country IN ('UK', 'US', 'France')",
            "Country NOT IN ('UK')", "age BETWEEN 15 AND 19", "age NOT BETWEEN 15 AND 19", "flag", "NOT flag",
            "TRUE", "false", "(a = 1)", "((a = 1) OR (b = 2)) AND NOT (c = 3)", "a + b * -c / (d - 1) >= +2.5e-3",
            "$x = 1", "_ = 1", "a = b", "'a' = 'b'", "1 = 'a'", "TRUE = FALSE", "(a > 1) = (b > 2)", "(a > 1) <> TRUE",
            "x = 'it''s'", "s = ''", "JMSDeliveryMode = 'PERSISTENT'", "JMSPriority >= 5",
            "JMSMessageID = 'ID:1' OR JMSCorrelationID = 'c' OR JMSTimestamp > 0", "JMSXDeliveryCount > 1",
            "JMSExpiration > 0", "a IN ('x')", "a LIKE '%%' ESCAPE '%'", "a = 1 -- 1", "NOT NOT a", "a BETWEEN b AND c AND d",
            "x = 9223372036854775807", "x = -9223372036854775808", "x = 1.7976931348623157E308", "x = 1e-300",
            "x = 0", "x = 00", "x = 0.0", "x = 0e0"})
    void validSelectorsParse(String selector) throws Exception {
        assertThat(Selector.parse(selector).text()).isEqualTo(selector);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // incomplete or extra tokens
            "\"color = \"|9|expected an operand (a literal, an identifier or '(') but found the end of the selector",
            "color = 'red' AND|18|but found the end of the selector",
            "a = 1 b = 2|7|expected AND, OR or the end of the selector but found identifier 'b'",
            "(a = 1|7|expected ')' but found the end of the selector",
            "a = 1)|6|expected AND, OR or the end of the selector but found ')'",
            "a = = 1|5|expected an operand",
            "a = 1 = 2|7|expected AND, OR or the end of the selector but found '='",
            "a = 1 AND OR b = 2|11|expected an operand",
            // not a condition
            "1 + 2|1|a selector must be a condition, not an arithmetic expression",
            "'abc'|1|a selector must be a condition, not the string literal 'abc'",
            "5|1|a selector must be a condition, not the number 5",
            "a AND 5|7|the right side of AND must be a condition, not the number 5",
            "'x' OR a|1|the left side of OR must be a condition",
            "NOT 'x'|5|the operand of NOT must be a condition",
            "a + 1 AND b|1|the left side of AND must be a condition, not an arithmetic expression",
            // wrong types for arithmetic and ordering
            "a + 'x' = 1|5|the right side of + must be numeric, not the string literal 'x'",
            "'x' * 2 = a|1|the left side of * must be numeric",
            "-'x' = a|2|the operand of unary - must be numeric",
            "a < 'b'|5|the right side of < must be numeric, not the string literal 'b'",
            "TRUE > a|1|the left side of > must be numeric, not the boolean literal TRUE",
            "(a = 1) >= 2|1|the left side of >= must be numeric, not a condition",
            "a BETWEEN 'a' AND 'c'|11|the lower bound of BETWEEN must be numeric",
            "a BETWEEN 1 AND TRUE|17|the upper bound of BETWEEN must be numeric",
            "a BETWEEN 1 OR 2|13|expected AND (between the bounds of BETWEEN) but found OR",
            // IN, LIKE, IS NULL
            "a IN ()|7|expected a string literal (IN lists hold string literals only) but found ')'",
            "a IN ('x', 1)|12|expected a string literal (IN lists hold string literals only) but found number 1",
            "a IN 'x'|6|expected '(' after IN but found string literal 'x'",
            "a IN ('x' 'y')|11|expected ',' or ')' in the IN list",
            "a + 1 IN ('x')|1|the left side of IN must be an identifier, not an arithmetic expression",
            "'a' LIKE 'b'|1|the left side of LIKE must be an identifier, not the string literal 'a'",
            "a LIKE b|8|expected a string literal pattern after LIKE but found identifier 'b'",
            "a LIKE 'x' ESCAPE 'ab'|19|expected a string literal of one character after ESCAPE",
            "a LIKE 'x' ESCAPE ''|19|expected a string literal of one character after ESCAPE",
            "a LIKE 'x!' ESCAPE '!'|8|the LIKE pattern 'x!' ends with its escape character",
            "a LIKE '!a' ESCAPE '!'|8|the escape character is followed by 'a'; it may only precede '_', '%' or itself",
            "1 IS NULL|1|the left side of IS NULL must be an identifier",
            "a IS 1|6|expected NULL but found number 1",
            "a NOT NULL|7|expected BETWEEN, IN or LIKE after NOT but found NULL",
            "a = NULL|5|NULL may only appear in IS NULL and IS NOT NULL",
            // reserved words are not identifiers
            "NULL = 1|1|NULL may only appear in IS NULL and IS NOT NULL",
            "and = 1|1|AND is a reserved word and cannot be an identifier",
            "Between = 1|1|BETWEEN is a reserved word",
            "escape = 1|1|ESCAPE is a reserved word",
            "a = like|5|LIKE is a reserved word",
            "is IS NULL|1|IS is a reserved word",
            // lexical errors
            "a = 'open|5|the string literal starting here is not closed with '",
            "a != 1|3|unexpected character '!' (not equal is written <>)",
            "a = \"x\"|5|unexpected character '\"' (strings are in single quotes)",
            "a = 1 ; b|7|unexpected character ';'",
            "a = 1 /* c */|8|expected an operand",
            "a # 1|3|unexpected character '#'",
            "1a = 1|2|expected AND, OR or the end of the selector but found identifier 'a'",
            "a = 9223372036854775808|5|the exact numeric literal 9223372036854775808 is outside the range of a Java long",
            "a = -9223372036854775809|6|is outside the range of a Java long",
            "a = 0x1FFFFFFFFFFFFFFFF|5|is outside the range of a Java long",
            "a = 1e400|5|the approximate numeric literal 1e400 is outside the range of a Java double",
            "a = 1e-400|5|is outside the range of a Java double",
            "a = 1e40f|5|is outside the range of a Java float",
            "a = 09|5|the octal literal 09 has a digit that is not octal",
            "a = 1e|5|'1e' is not a valid numeric literal",
            "a = 0x|5|'0x' is not a valid numeric literal",
            "a = 1_|5|'1_' is not a valid numeric literal",
            "a = 1_.5|5|'1_.5' is not a valid numeric literal",
            "a = 0x_1|5|'0x_1' is not a valid numeric literal",
            "a = 1.5L|8|expected AND, OR or the end of the selector but found identifier 'L'",
            "a = 0x1.8p1|8|expected AND, OR or the end of the selector but found number .8"})
    void invalidSelectorsAreRefusedWithThePositionAndTheProblem(String selector, int position, String problem) {
        assertThatThrownBy(() -> Selector.parse(selector))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageStartingWith("invalid message selector at position " + position + ": ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith(" in \"" + selector + "\"");
    }

    @Test
    void aSelectorIsImmutableAndReusable() throws Exception {
        Selector s = Selector.parse("n > 1");
        assertThat(s.matches(TestMessage.message().with("n", 2))).isTrue();
        assertThat(s.matches(TestMessage.message().with("n", 1))).isFalse();
        assertThat(s.matches(TestMessage.message().with("n", 2))).isTrue();
        assertThat(s).hasToString("n > 1");
    }

    @Test
    void evaluationStopsReadingPropertiesOnceTheResultIsKnown() throws Exception {
        TestMessage m = TestMessage.message().with("a", 1);
        assertThat(Selector.parse("a = 2 AND b = 1").matches(m)).isFalse();
        assertThat(m.propertiesRead).containsExactly("a");
        TestMessage n = TestMessage.message().with("a", 1);
        assertThat(Selector.parse("a = 1 OR b = 1").matches(n)).isTrue();
        assertThat(n.propertiesRead).containsExactly("a");
    }

    @Test
    void likePatternsWithManyWildcardsStayFast() throws Exception {
        Selector s = Selector.parse("p LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%b'");
        String value = "a".repeat(20_000);
        long start = System.nanoTime();
        assertThat(s.matches(TestMessage.message().with("p", value))).isFalse();
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(2_000_000_000L);
    }
}
