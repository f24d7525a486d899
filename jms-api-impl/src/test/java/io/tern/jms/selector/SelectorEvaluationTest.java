package io.tern.jms.selector;

import static io.tern.jms.selector.TestMessage.message;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.InvalidSelectorException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** What selectors select: every operator, three-valued logic, types, headers (spec 3.8.1). */
class SelectorEvaluationTest {

    private static boolean matches(String selector, SelectorContext message) throws InvalidSelectorException {
        return Selector.parse(selector).matches(message);
    }

    /**
     * The truth value of a condition as T, F or U: U when neither it nor its negation matches. Wrapping in NOT
     * tells FALSE (NOT matches) from UNKNOWN (neither matches).
     */
    private static String truth(String condition, SelectorContext message) throws InvalidSelectorException {
        if (matches(condition, message)) {
            assertThat(matches("NOT (" + condition + ")", message)).as("NOT of a TRUE condition").isFalse();
            return "T";
        }
        return matches("NOT (" + condition + ")", message) ? "F" : "U";
    }

    // --- the empty selector --------------------------------------------------------------------------------

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void noSelectorMatchesEverything(String selector) throws Exception {
        Selector s = Selector.parse(selector);
        assertThat(s).isSameAs(Selector.MATCH_ALL);
        assertThat(s.matchesAll()).isTrue();
        assertThat(s.matches(message())).isTrue();
        assertThat(s.text()).isNull();
    }

    @Test
    void theSpecExampleSelectsCarsThatAreBlueAndHeavy() throws Exception {
        Selector s = Selector.parse("JMSType = 'car' AND color = 'blue' AND weight > 2500");
        assertThat(s.matches(message().header(SelectorHeader.TYPE, "car").with("color", "blue").with("weight", 3000)))
                .isTrue();
        assertThat(s.matches(message().header(SelectorHeader.TYPE, "car").with("color", "blue").with("weight", 2500)))
                .isFalse();
        assertThat(s.matches(message().header(SelectorHeader.TYPE, "bike").with("color", "blue")
                .with("weight", 3000))).isFalse();
        assertThat(s.text()).isEqualTo("JMSType = 'car' AND color = 'blue' AND weight > 2500");
        assertThat(s.propertyNames()).containsExactlyInAnyOrder("color", "weight");
    }

    // --- three-valued logic: spec tables 3-4, 3-5, 3-6 ---------------------------------------------------------

    @ParameterizedTest(name = "{0} AND {1} = {2}")
    @CsvSource({"T,T,T", "T,F,F", "T,U,U", "F,T,F", "F,F,F", "F,U,F", "U,T,U", "U,F,F", "U,U,U"})
    void andFollowsTable34(String a, String b, String expected) throws Exception {
        assertThat(truth(operand(a, "a") + " AND " + operand(b, "b"), message())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} OR {1} = {2}")
    @CsvSource({"T,T,T", "T,F,T", "T,U,T", "F,T,T", "F,F,F", "F,U,U", "U,T,T", "U,F,U", "U,U,U"})
    void orFollowsTable35(String a, String b, String expected) throws Exception {
        assertThat(truth(operand(a, "a") + " OR " + operand(b, "b"), message())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "NOT {0} = {1}")
    @CsvSource({"T,F", "F,T", "U,U"})
    void notFollowsTable36(String a, String expected) throws Exception {
        assertThat(matches("NOT " + operand(a, "a"), message())).isEqualTo(expected.equals("T"));
        assertThat(truth("NOT " + operand(a, "a"), message())).isEqualTo(expected);
    }

    /** A condition that is TRUE, FALSE or UNKNOWN (a comparison with a property that is not set). */
    private static String operand(String truth, String missing) {
        return switch (truth) {
            case "T" -> "(1 = 1)";
            case "F" -> "(1 = 2)";
            default -> "(" + missing + "_missing = 1)";
        };
    }

    @Test
    void booleanPropertiesAndLiteralsAreConditions() throws Exception {
        TestMessage m = message().with("flag", true).with("off", false).with("name", "x");
        assertThat(matches("flag", m)).isTrue();
        assertThat(matches("off", m)).isFalse();
        assertThat(matches("NOT off", m)).isTrue();
        assertThat(matches("TRUE", m)).isTrue();
        assertThat(matches("FALSE", m)).isFalse();
        assertThat(matches("flag = TRUE AND off = FALSE", m)).isTrue();
        assertThat(matches("flag <> off", m)).isTrue();
        assertThat(truth("name", m)).as("a string used as a condition").isEqualTo("U");
        assertThat(truth("absent", m)).isEqualTo("U");
    }

    @Test
    void operatorPrecedenceIsNotThenAndThenOr() throws Exception {
        // NOT binds tighter than AND, AND tighter than OR: "NOT a OR b AND c" = "(NOT a) OR (b AND c)".
        assertThat(Selector.parse("NOT a OR b AND c").describe()).isEqualTo("((NOT a) OR (b AND c))");
        TestMessage m = message().with("a", true).with("b", true).with("c", false);
        assertThat(matches("NOT a OR b AND c", m)).isFalse();
        assertThat(matches("(NOT a OR b) AND c", m)).isFalse();
        assertThat(matches("NOT (a OR b AND c)", m)).isFalse();
        assertThat(matches("TRUE OR TRUE AND FALSE", m)).isTrue();
        assertThat(matches("(TRUE OR TRUE) AND FALSE", m)).isFalse();
        assertThat(Selector.parse("NOT x = 1").describe()).isEqualTo("(NOT (x = 1))");
    }

    @Test
    void arithmeticPrecedenceIsUnaryThenMultiplicativeThenAdditiveLeftToRight() throws Exception {
        assertThat(Selector.parse("a + b * c = d").describe()).isEqualTo("((a + (b * c)) = d)");
        assertThat(Selector.parse("a - b - c = d").describe()).isEqualTo("(((a - b) - c) = d)");
        assertThat(Selector.parse("-a * b = c").describe()).isEqualTo("(((-a) * b) = c)");
        TestMessage m = message();
        assertThat(matches("2 + 3 * 4 = 14", m)).isTrue();
        assertThat(matches("(2 + 3) * 4 = 20", m)).isTrue();
        assertThat(matches("10 - 4 - 3 = 3", m)).isTrue();
        assertThat(matches("100 / 10 / 5 = 2", m)).isTrue();
        assertThat(matches("-2 * -3 = 6", m)).isTrue();
        assertThat(matches("- - 2 = 2", m)).isTrue();
        assertThat(matches("+2 = 2", m)).isTrue();
    }

    // --- arithmetic: Java numeric promotion ----------------------------------------------------------------------

    @Test
    void exactArithmeticIsJavaLongArithmetic() throws Exception {
        TestMessage m = message().with("i", 7).with("b", (byte) 2).with("s", (short) 3).with("l", 10L);
        assertThat(matches("i / b = 3", m)).as("integer division truncates").isTrue();
        assertThat(matches("-7 / 2 = -3", m)).isTrue();
        assertThat(matches("i * s + l = 31", m)).isTrue();
        assertThat(matches("i - l = -3", m)).isTrue();
        assertThat(matches("2147483647 + 1 = 2147483648", m)).as("computed as long").isTrue();
        assertThat(matches("9223372036854775807 + 1 = -9223372036854775808", m)).as("Java long overflow").isTrue();
        assertThat(matches("-i = -7", m)).isTrue();
    }

    @Test
    void mixingExactAndApproximatePromotesToDouble() throws Exception {
        TestMessage m = message().with("i", 7).with("d", 0.5).with("f", 1.5f);
        assertThat(matches("i / 2.0 = 3.5", m)).isTrue();
        assertThat(matches("i * d = 3.5", m)).isTrue();
        assertThat(matches("f + 1 = 2.5", m)).isTrue();
        assertThat(matches("-d = -0.5", m)).isTrue();
        assertThat(matches("i = 7.0", m)).as("exact compares with approximate").isTrue();
        assertThat(matches("i > 6.9", m)).isTrue();
        // A float widens to double as in Java: 1.1f is not the double 1.1.
        assertThat(matches("x = 1.1", message().with("x", 1.1f))).isFalse();
        assertThat(matches("x = 1.1f", message().with("x", 1.1f))).isTrue();
    }

    @Test
    void divisionByZeroIsUnknownForExactAndIeeeForApproximate() throws Exception {
        TestMessage m = message().with("zero", 0).with("i", 5);
        assertThat(truth("i / zero = 0", m)).isEqualTo("U");
        assertThat(truth("i / 0 > 1", m)).isEqualTo("U");
        assertThat(truth("i / 0.0 > 1000000", m)).as("+Infinity").isEqualTo("T");
        assertThat(truth("0.0 / 0 = 0.0 / 0", m)).as("NaN equals nothing").isEqualTo("F");
        assertThat(truth("0.0 / 0 <> 0.0 / 0", m)).isEqualTo("T");
    }

    @Test
    void arithmeticWithNullOrNonNumericIsUnknown() throws Exception {
        TestMessage m = message().with("s", "2").with("flag", true).with("i", 1);
        assertThat(truth("missing + 1 = 1", m)).isEqualTo("U");
        assertThat(truth("i + missing = 1", m)).isEqualTo("U");
        assertThat(truth("-missing = 1", m)).isEqualTo("U");
        assertThat(truth("s + 1 = 3", m)).as("a string cannot be used in arithmetic").isEqualTo("U");
        assertThat(truth("flag * 1 = 1", m)).isEqualTo("U");
        assertThat(truth("-s = -2", m)).isEqualTo("U");
    }

    // --- comparison ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "n = 5|T", "n <> 5|F", "n < 5|F", "n <= 5|T", "n > 5|F", "n >= 5|T",
            "n = 6|F", "n <> 6|T", "n < 6|T", "n <= 6|T", "n > 6|F", "n >= 6|F",
            "n > 4.5|T", "n < 5.5|T", "n = 5.0|T", "d = 2.5|T", "d >= 2|T", "d < 2|F",
            "s = 'abc'|T", "s <> 'abc'|F", "s = 'ABC'|F", "s <> 'x'|T", "s = ''|F",
            "b = TRUE|T", "b <> FALSE|T", "b = FALSE|F"})
    void comparisonsOfLikeTypes(String condition, String expected) throws Exception {
        TestMessage m = message().with("n", 5).with("d", 2.5).with("s", "abc").with("b", true);
        assertThat(truth(condition, m)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s = 2", "s > 1", "s <> 2", "n = '5'", "n <> '5'", "b = 1", "b = 'true'",
            "s = TRUE", "n = TRUE", "s < t", "s >= t", "b > c", "b <= c", "bytes = 'x'", "ch = 'c'", "ch = 99"})
    void comparingUnlikeTypesOrOrderingStringsIsFalse(String condition) throws Exception {
        TestMessage m = message().with("s", "2").with("t", "3").with("n", 5).with("b", true).with("c", false)
                .with("bytes", "x".getBytes(StandardCharsets.UTF_8)).with("ch", 'c');
        assertThat(truth(condition, m)).isEqualTo("F");
    }

    @Test
    void aStringPropertyIsNotConvertedToANumber() throws Exception {
        // The spec's own example: setStringProperty("NumberOfOrders", "2") does not match "NumberOfOrders > 1".
        assertThat(matches("NumberOfOrders > 1", message().with("NumberOfOrders", "2"))).isFalse();
        assertThat(matches("NumberOfOrders > 1", message().with("NumberOfOrders", 2))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing = 1", "missing <> 1", "missing < 1", "1 = missing", "missing = missing",
            "missing = 'a'", "missing = TRUE", "JMSType = 'x'"})
    void comparingNullIsUnknown(String condition) throws Exception {
        assertThat(truth(condition, message())).isEqualTo("U");
    }

    // --- BETWEEN -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "age={0}")
    @CsvSource({"14,F,T", "15,T,F", "17,T,F", "19,T,F", "20,F,T"})
    void betweenIsInclusive(int age, String between, String notBetween) throws Exception {
        TestMessage m = message().with("age", age);
        assertThat(truth("age BETWEEN 15 AND 19", m)).isEqualTo(between);
        assertThat(truth("age NOT BETWEEN 15 AND 19", m)).isEqualTo(notBetween);
    }

    @Test
    void betweenFollowsItsSpecEquivalents() throws Exception {
        assertThat(truth("age BETWEEN 15 AND 19", message())).as("NULL value").isEqualTo("U");
        assertThat(truth("age NOT BETWEEN 15 AND 19", message())).isEqualTo("U");
        // "age >= 15 AND age <= 19" with a string age: FALSE AND FALSE; NOT BETWEEN "age < 15 OR age > 19": FALSE.
        assertThat(truth("age BETWEEN 15 AND 19", message().with("age", "17"))).isEqualTo("F");
        assertThat(truth("age NOT BETWEEN 15 AND 19", message().with("age", "17"))).isEqualTo("F");
        // A NULL bound: 10 >= NULL is UNKNOWN, 10 <= 19 TRUE: UNKNOWN; 25 <= 19 is FALSE, so BETWEEN is FALSE.
        assertThat(truth("age BETWEEN lo AND 19", message().with("age", 10))).isEqualTo("U");
        assertThat(truth("age BETWEEN lo AND 19", message().with("age", 25))).isEqualTo("F");
        assertThat(truth("age NOT BETWEEN lo AND 19", message().with("age", 25))).isEqualTo("T");
        assertThat(truth("w BETWEEN 1.5 AND 2 * 1.5", message().with("w", 3L))).isEqualTo("T");
        assertThat(truth("w + 1 BETWEEN -1 AND +1", message().with("w", -1.5f))).isEqualTo("T");
    }

    // --- IN ------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "Country={0}")
    @CsvSource({"UK,T,F", "US,T,F", "France,T,F", "Peru,F,T", "uk,F,T"})
    void inIsEqualityWithAnyListedString(String country, String in, String notIn) throws Exception {
        TestMessage m = message().with("Country", country);
        assertThat(truth("Country IN ('UK', 'US', 'France')", m)).isEqualTo(in);
        assertThat(truth("Country NOT IN ('UK', 'US', 'France')", m)).isEqualTo(notIn);
    }

    @Test
    void inWithNullIsUnknownAndWithANonStringIsFalse() throws Exception {
        assertThat(truth("Country IN ('UK')", message())).isEqualTo("U");
        assertThat(truth("Country NOT IN ('UK')", message())).isEqualTo("U");
        // As (Country = 'UK') is FALSE for a number, IN is FALSE and NOT IN is TRUE.
        assertThat(truth("Country IN ('1')", message().with("Country", 1))).isEqualTo("F");
        assertThat(truth("Country NOT IN ('1')", message().with("Country", 1))).isEqualTo("T");
        assertThat(truth("q IN ('it''s', '')", message().with("q", "it's"))).isEqualTo("T");
        assertThat(truth("q IN ('it''s', '')", message().with("q", ""))).isEqualTo("T");
    }

    // --- LIKE ----------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} LIKE {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "123|12%3|T", "12993|12%3|T", "1234|12%3|F", "lose|l_se|T", "loose|l_se|F",
            "|%|T", "abc|%|T", "abc|a%|T", "abc|%c|T", "abc|%b%|T", "abc|___|T", "abc|__|F", "abc|____|F",
            "abc|abc|T", "abcd|abc|F", "ABC|abc|F", "aXbXc|a%b%c|T", "aXbX|a%b%c|F", "mississippi|%iss%pi|T",
            "mississippi|m%ss%ss%|T", "mississippi|m%ss%ss%ss%|F", "ab|%%_%%|T"})
    void likeMatchesPercentAndUnderscore(String value, String pattern, String expected) throws Exception {
        String v = value == null ? "" : value;
        TestMessage m = message().with("p", v);
        assertThat(truth("p LIKE '" + pattern + "'", m)).isEqualTo(expected);
        assertThat(truth("p NOT LIKE '" + pattern + "'", m)).isEqualTo(expected.equals("T") ? "F" : "T");
    }

    @Test
    void likeTreatsRegexCharactersLiterally() throws Exception {
        assertThat(matches("p LIKE 'a.c'", message().with("p", "a.c"))).isTrue();
        assertThat(matches("p LIKE 'a.c'", message().with("p", "abc"))).isFalse();
        assertThat(matches("p LIKE '(x)*[y]+{z}?^$|\\%'", message().with("p", "(x)*[y]+{z}?^$|\\ and more")))
                .isTrue();
        assertThat(matches("p LIKE '.*'", message().with("p", "anything"))).isFalse();
        assertThat(matches("p LIKE 'line_break'", message().with("p", "line\nbreak"))).isTrue();
        assertThat(matches("p LIKE '%'", message().with("p", "multi\nline\r\n"))).isTrue();
        assertThat(matches("p LIKE 'it''s%'", message().with("p", "it's here"))).isTrue();
    }

    @Test
    void likeEscapeMakesWildcardsLiteral() throws Exception {
        // The spec's example: "underscored LIKE '\_%' ESCAPE '\'" is true for '_foo' and false for 'bar'.
        Selector s = Selector.parse("underscored LIKE '\\_%' ESCAPE '\\'");
        assertThat(s.matches(message().with("underscored", "_foo"))).isTrue();
        assertThat(s.matches(message().with("underscored", "bar"))).isFalse();
        assertThat(s.matches(message().with("underscored", "xfoo"))).isFalse();
        assertThat(matches("p LIKE '100!%' ESCAPE '!'", message().with("p", "100%"))).isTrue();
        assertThat(matches("p LIKE '100!%' ESCAPE '!'", message().with("p", "1000"))).isFalse();
        assertThat(matches("p LIKE 'a!!b' ESCAPE '!'", message().with("p", "a!b"))).isTrue();
        assertThat(matches("p LIKE '%$_%' ESCAPE '$'", message().with("p", "snake_case"))).isTrue();
        assertThat(matches("p LIKE '%$_%' ESCAPE '$'", message().with("p", "camelCase"))).isFalse();
        assertThat(matches("p LIKE 'x''%' ESCAPE ''''", message().with("p", "x%"))).as("quote as escape").isTrue();
        assertThat(matches("p LIKE 'x''%' ESCAPE ''''", message().with("p", "xy"))).isFalse();
    }

    @Test
    void likeCountsCharactersNotUtf16Units() throws Exception {
        assertThat(matches("p LIKE 'a_b'", message().with("p", "a\uD83D\uDE00b"))).isTrue();
        assertThat(matches("p LIKE 'a__b'", message().with("p", "a\uD83D\uDE00b"))).isFalse();
    }

    @Test
    void likeOnNullIsUnknownAndOnNonStringFalse() throws Exception {
        assertThat(truth("p LIKE '%'", message())).isEqualTo("U");
        assertThat(truth("p NOT LIKE '%'", message())).isEqualTo("U");
        assertThat(truth("p LIKE '1%'", message().with("p", 12))).isEqualTo("F");
        assertThat(truth("p NOT LIKE '1%'", message().with("p", 12))).isEqualTo("T");
    }

    // --- IS NULL -------------------------------------------------------------------------------------------------

    @Test
    void isNullTestsForAbsentPropertiesAndNullHeaders() throws Exception {
        TestMessage m = message().with("present", "x").with("zero", 0);
        assertThat(truth("absent IS NULL", m)).isEqualTo("T");
        assertThat(truth("absent IS NOT NULL", m)).isEqualTo("F");
        assertThat(truth("present IS NULL", m)).isEqualTo("F");
        assertThat(truth("present IS NOT NULL", m)).isEqualTo("T");
        assertThat(truth("zero IS NOT NULL", m)).isEqualTo("T");
        assertThat(truth("JMSCorrelationID IS NULL", m)).isEqualTo("T");
        assertThat(truth("JMSType is not null", m.header(SelectorHeader.TYPE, "t"))).isEqualTo("T");
    }

    // --- identifiers and headers ---------------------------------------------------------------------------------

    @Test
    void identifiersAreCaseSensitive() throws Exception {
        TestMessage m = message().with("Color", "red");
        assertThat(matches("Color = 'red'", m)).isTrue();
        assertThat(truth("color = 'red'", m)).isEqualTo("U");
        assertThat(truth("COLOR = 'red'", m)).isEqualTo("U");
        assertThat(truth("jmsType = 'x'", message().header(SelectorHeader.TYPE, "x")))
                .as("not the JMSType header but an application property").isEqualTo("U");
    }

    @Test
    void identifiersMayUseAnyJavaIdentifierCharacters() throws Exception {
        TestMessage m = message().with("$price", 3).with("_x1", 1).with("größe", 2).with("a$b_c9", 4);
        assertThat(matches("$price = 3 AND _x1 = 1 AND größe = 2 AND a$b_c9 = 4", m)).isTrue();
        // Words that contain keywords are ordinary identifiers.
        TestMessage k = message().with("ORDER", 1).with("notes", 2).with("android", 3).with("INx", 4)
                .with("island", 5).with("nullable", 6).with("Escaped", 7);
        assertThat(matches("ORDER = 1 AND notes = 2 AND android = 3 AND INx = 4 AND island = 5 AND nullable = 6"
                + " AND Escaped = 7", k)).isTrue();
    }

    @Test
    void keywordsAreCaseInsensitive() throws Exception {
        TestMessage m = message().with("a", 5).with("s", "xy").with("flag", true);
        assertThat(matches("a between 1 and 9 and s like 'x%' escape '!' and s in ('xy') and missing is null"
                + " and not FALSE or false", m)).isTrue();
        assertThat(matches("a Between 1 AnD 9 AND S iS nUlL AND flag = True", m)).isTrue();
        assertThat(matches("a NoT bEtWeEn 1 AND 4 AND s NOT LIKE 'z%' AND s Not In ('q') AND s IS NOT NULL", m))
                .isTrue();
    }

    @Test
    void jmsDeliveryModeIsComparedAsPersistentOrNonPersistent() throws Exception {
        TestMessage persistent = message().header(SelectorHeader.DELIVERY_MODE, "PERSISTENT");
        TestMessage nonPersistent = message().header(SelectorHeader.DELIVERY_MODE, "NON_PERSISTENT");
        assertThat(matches("JMSDeliveryMode = 'PERSISTENT'", persistent)).isTrue();
        assertThat(matches("JMSDeliveryMode = 'PERSISTENT'", nonPersistent)).isFalse();
        assertThat(matches("JMSDeliveryMode = 'NON_PERSISTENT'", nonPersistent)).isTrue();
        assertThat(matches("JMSDeliveryMode = 2", persistent)).as("not the int constant").isFalse();
    }

    @Test
    void theSixHeaderFieldsAreReadFromTheHeaderNotProperties() throws Exception {
        TestMessage m = message().header(SelectorHeader.PRIORITY, 7).header(SelectorHeader.MESSAGE_ID, "ID:1")
                .header(SelectorHeader.TIMESTAMP, 1000L).header(SelectorHeader.CORRELATION_ID, "c1")
                .header(SelectorHeader.TYPE, "t");
        assertThat(matches("JMSPriority > 4 AND JMSPriority BETWEEN 7 AND 9", m)).isTrue();
        assertThat(matches("JMSMessageID = 'ID:1' AND JMSTimestamp = 1000 AND JMSTimestamp + 1 > 1000", m))
                .isTrue();
        assertThat(matches("JMSCorrelationID LIKE 'c%' AND JMSType IN ('t')", m)).isTrue();
        assertThat(m.propertiesRead).as("no property read").isEmpty();
        assertThat(Selector.parse("JMSPriority > 4 AND JMSType = 'x'").propertyNames()).isEmpty();
    }

    @Test
    void otherJmsHeaderNamesAreNullWhileJmsxAndJmsUnderscoreNamesAreProperties() throws Exception {
        TestMessage m = message().with("JMSExpiration", 5L).with("JMSXGroupID", "g").with("JMS_Vendor", 1);
        assertThat(truth("JMSExpiration IS NULL", m)).isEqualTo("T");
        assertThat(truth("JMSRedelivered = FALSE", m)).isEqualTo("U");
        assertThat(truth("JMSDestination IS NOT NULL", m)).isEqualTo("F");
        assertThat(truth("JMSXGroupID = 'g'", m)).isEqualTo("T");
        assertThat(truth("JMS_Vendor = 1", m)).isEqualTo("T");
        assertThat(m.propertiesRead).containsExactly("JMSXGroupID", "JMSXGroupID", "JMS_Vendor", "JMS_Vendor");
        assertThat(Selector.parse("JMSExpiration > 0 OR JMSXDeliveryCount > 1").propertyNames())
                .containsExactly("JMSXDeliveryCount");
    }

    @Test
    void correlationIdBytesAreComparedDecodedAsUtf8() {
        var header = new io.tern.jms.wire.MessageHeader(1, true, 4, 0, 0, 0, "ID:x",
                io.tern.jms.wire.WireDestination.queue("q"), null, "héllo".getBytes(StandardCharsets.UTF_8), null);
        assertThat(SelectorHeader.CORRELATION_ID.valueIn(header)).isEqualTo("héllo");
        assertThat(SelectorHeader.DELIVERY_MODE.valueIn(header)).isEqualTo("PERSISTENT");
        assertThat(SelectorHeader.PRIORITY.valueIn(header)).isEqualTo(4);
        assertThat(SelectorHeader.TIMESTAMP.valueIn(header)).isEqualTo(0L);
        assertThat(SelectorHeader.TYPE.valueIn(header)).isNull();
    }

    // --- literals ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x = 57", "x = +57", "-x = -57", "x = 0x39", "x = 0X39L", "x = 071", "x = 0b111001",
            "x = 57L", "x = 5_7", "x = 57.", "x = 57.0", "x = 5.7e1", "x = 570E-1", "x = .57e2", "x = 57f",
            "x = 57d", "x = 57D", "x = 5_7.0_0", "x = 0.57E+2"})
    void numericLiteralsInJavaSyntax(String condition) throws Exception {
        assertThat(matches(condition, message().with("x", 57))).isTrue();
    }

    @Test
    void theSpecsNumericLiteralExamples() throws Exception {
        assertThat(matches("x = -957", message().with("x", -957L))).isTrue();
        assertThat(matches("x = +62", message().with("x", (short) 62))).isTrue();
        assertThat(matches("x = 7E3", message().with("x", 7000.0))).isTrue();
        assertThat(matches("x = -57.9E2", message().with("x", -5790.0))).isTrue();
        assertThat(matches("x = 7.", message().with("x", 7.0))).isTrue();
        assertThat(matches("x = -95.7", message().with("x", -95.7))).isTrue();
        assertThat(matches("x = +6.2", message().with("x", 6.2))).isTrue();
        assertThat(matches("x = 0", message().with("x", 0))).isTrue();
        assertThat(matches("x = 1.5e3", message().with("x", 1500))).isTrue();
    }

    @Test
    void exactLiteralsCoverTheWholeLongRange() throws Exception {
        assertThat(matches("x = 9223372036854775807", message().with("x", Long.MAX_VALUE))).isTrue();
        assertThat(matches("x = -9223372036854775808", message().with("x", Long.MIN_VALUE))).isTrue();
        assertThat(matches("x = 0xFFFFFFFFFFFFFFFF", message().with("x", -1L))).isTrue();
        assertThat(matches("x = 0xFFFFFFFF", message().with("x", 4294967295L))).as("a long, not int -1").isTrue();
    }

    @Test
    void stringLiteralsDoubleTheirQuotesAndKeepEverythingElse() throws Exception {
        assertThat(matches("s = 'literal''s'", message().with("s", "literal's"))).isTrue();
        assertThat(matches("s = ''''", message().with("s", "'"))).isTrue();
        assertThat(matches("s = ''", message().with("s", ""))).isTrue();
        assertThat(matches("s = ' AND x = ''1'' -- '", message().with("s", " AND x = '1' -- "))).isTrue();
        assertThat(matches("s = 'Grüße \u4e16\u754c\\n'", message().with("s", "Grüße 世界\\n"))).isTrue();
    }

    @Test
    void javaWhitespaceSeparatesTokens() throws Exception {
        assertThat(matches("\ta\n=\r1\fAND\r\nb<>2 ", message().with("a", 1).with("b", 3))).isTrue();
        assertThat(matches("a=1AND b=1", message().with("a", 1).with("b", 1))).isTrue();
        assertThat(matches("(a=1)OR(b=1)", message().with("a", 2).with("b", 1))).isTrue();
    }
}
