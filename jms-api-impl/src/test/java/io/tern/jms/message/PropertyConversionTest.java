package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The property conversion table of the spec (Message Javadoc), cell by cell. */
class PropertyConversionTest {

    @FunctionalInterface
    interface Getter {
        Object get(TernMessage m, String name) throws JMSException;
    }

    private static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

    static {
        GETTERS.put("boolean", TernMessage::getBooleanProperty);
        GETTERS.put("byte", TernMessage::getByteProperty);
        GETTERS.put("short", TernMessage::getShortProperty);
        GETTERS.put("int", TernMessage::getIntProperty);
        GETTERS.put("long", TernMessage::getLongProperty);
        GETTERS.put("float", TernMessage::getFloatProperty);
        GETTERS.put("double", TernMessage::getDoubleProperty);
        GETTERS.put("String", TernMessage::getStringProperty);
    }

    /** Row value, then the expected result for each column in GETTERS order; null marks a refused cell. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(true, new Object[] {true, null, null, null, null, null, null, "true"}),
                Arguments.of((byte) 7, new Object[] {null, (byte) 7, (short) 7, 7, 7L, null, null, "7"}),
                Arguments.of((short) 300, new Object[] {null, null, (short) 300, 300, 300L, null, null, "300"}),
                Arguments.of(70000, new Object[] {null, null, null, 70000, 70000L, null, null, "70000"}),
                Arguments.of(5_000_000_000L, new Object[] {null, null, null, null, 5_000_000_000L, null, null,
                        "5000000000"}),
                Arguments.of(1.5f, new Object[] {null, null, null, null, null, 1.5f, 1.5d, "1.5"}),
                Arguments.of(2.25d, new Object[] {null, null, null, null, null, null, 2.25d, "2.25"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachCellOfTheTableIsAllowedOrRefused(Object value, Object[] expected) throws JMSException {
        TernMessage m = new TernMessage();
        m.setObjectProperty("p", value);
        assertThat(m.getObjectProperty("p")).isEqualTo(value);
        int column = 0;
        for (Map.Entry<String, Getter> getter : GETTERS.entrySet()) {
            Object want = expected[column++];
            if (want == null) {
                assertThatThrownBy(() -> getter.getValue().get(m, "p"))
                        .as("%s read as %s", value.getClass().getSimpleName(), getter.getKey())
                        .isExactlyInstanceOf(MessageFormatException.class)
                        .hasMessageContaining("property 'p'");
            } else {
                assertThat(getter.getValue().get(m, "p"))
                        .as("%s read as %s", value.getClass().getSimpleName(), getter.getKey()).isEqualTo(want);
            }
        }
    }

    @Test
    void typedSettersStoreTheirWrapperType() throws JMSException {
        TernMessage m = new TernMessage();
        m.setBooleanProperty("a", true);
        m.setByteProperty("b", (byte) 1);
        m.setShortProperty("c", (short) 2);
        m.setIntProperty("d", 3);
        m.setLongProperty("e", 4L);
        m.setFloatProperty("f", 5f);
        m.setDoubleProperty("g", 6d);
        m.setStringProperty("h", "x");
        assertThat(m.getObjectProperty("a")).isEqualTo(Boolean.TRUE);
        assertThat(m.getObjectProperty("b")).isEqualTo((byte) 1);
        assertThat(m.getObjectProperty("c")).isEqualTo((short) 2);
        assertThat(m.getObjectProperty("d")).isEqualTo(3);
        assertThat(m.getObjectProperty("e")).isEqualTo(4L);
        assertThat(m.getObjectProperty("f")).isEqualTo(5f);
        assertThat(m.getObjectProperty("g")).isEqualTo(6d);
        assertThat(m.getObjectProperty("h")).isEqualTo("x");
    }

    @Test
    void aStringConvertsToEveryTypeThroughValueOf() throws JMSException {
        TernMessage m = new TernMessage();
        m.setStringProperty("t", "true");
        m.setStringProperty("n", "12");
        m.setStringProperty("f", "1.25");
        assertThat(m.getBooleanProperty("t")).isTrue();
        assertThat(m.getBooleanProperty("n")).isFalse();
        assertThat(m.getByteProperty("n")).isEqualTo((byte) 12);
        assertThat(m.getShortProperty("n")).isEqualTo((short) 12);
        assertThat(m.getIntProperty("n")).isEqualTo(12);
        assertThat(m.getLongProperty("n")).isEqualTo(12L);
        assertThat(m.getFloatProperty("f")).isEqualTo(1.25f);
        assertThat(m.getDoubleProperty("f")).isEqualTo(1.25d);
        assertThat(m.getStringProperty("f")).isEqualTo("1.25");
    }

    @Test
    void aStringThatIsNotANumberThrowsNumberFormatException() throws JMSException {
        TernMessage m = new TernMessage();
        m.setStringProperty("s", "abc");
        assertThatThrownBy(() -> m.getByteProperty("s")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getShortProperty("s")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getIntProperty("s")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getLongProperty("s")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getFloatProperty("s")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getDoubleProperty("s")).isInstanceOf(NumberFormatException.class);
        m.setStringProperty("big", "300");
        assertThatThrownBy(() -> m.getByteProperty("big")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void anAbsentPropertyReadsAsValueOfNull() throws JMSException {
        TernMessage m = new TernMessage();
        assertThat(m.propertyExists("missing")).isFalse();
        assertThat(m.getStringProperty("missing")).isNull();
        assertThat(m.getObjectProperty("missing")).isNull();
        assertThat(m.getBooleanProperty("missing")).isFalse();
        assertThatThrownBy(() -> m.getByteProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getShortProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getIntProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getLongProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getFloatProperty("missing")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.getDoubleProperty("missing")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNullValueSetExistsAndReadsAsNull() throws JMSException {
        TernMessage m = new TernMessage();
        m.setStringProperty("s", null);
        m.setObjectProperty("o", null);
        assertThat(m.propertyExists("s")).isTrue();
        assertThat(m.propertyExists("o")).isTrue();
        assertThat(m.getStringProperty("s")).isNull();
        assertThat(m.getBooleanProperty("o")).isFalse();
        assertThatThrownBy(() -> m.getIntProperty("o")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void setObjectPropertyAcceptsOnlyWrappersAndString() {
        TernMessage m = new TernMessage();
        assertThatThrownBy(() -> m.setObjectProperty("c", 'x')).isExactlyInstanceOf(MessageFormatException.class)
                .hasMessageContaining("java.lang.Character");
        assertThatThrownBy(() -> m.setObjectProperty("b", new byte[1]))
                .isExactlyInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setObjectProperty("l", new java.util.ArrayList<>()))
                .isExactlyInstanceOf(MessageFormatException.class);
        assertThat(m.propertyExists("c")).isFalse();
    }
}
