package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapMessageTest {

    @Test
    void typedSettersAndTheConversionTable() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        m.setBoolean("bool", true);
        m.setByte("byte", (byte) 1);
        m.setShort("short", (short) 2);
        m.setChar("char", 'c');
        m.setInt("int", 3);
        m.setLong("long", 4L);
        m.setFloat("float", 5f);
        m.setDouble("double", 6d);
        m.setString("string", "7");
        m.setBytes("bytes", new byte[] {8});
        m.setBytes("range", new byte[] {0, 9, 10, 0}, 1, 2);

        assertThat(m.getBoolean("bool")).isTrue();
        assertThat(m.getString("bool")).isEqualTo("true");
        assertThatThrownBy(() -> m.getInt("bool")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getShort("byte")).isEqualTo((short) 1);
        assertThat(m.getInt("byte")).isEqualTo(1);
        assertThat(m.getLong("byte")).isEqualTo(1L);
        assertThatThrownBy(() -> m.getChar("byte")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getFloat("byte")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getInt("short")).isEqualTo(2);
        assertThatThrownBy(() -> m.getByte("short")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getChar("char")).isEqualTo('c');
        assertThat(m.getString("char")).isEqualTo("c");
        assertThatThrownBy(() -> m.getInt("char")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getLong("int")).isEqualTo(3L);
        assertThatThrownBy(() -> m.getShort("int")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getInt("long")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getDouble("float")).isEqualTo(5d);
        assertThatThrownBy(() -> m.getFloat("double")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getInt("string")).isEqualTo(7);
        assertThat(m.getDouble("string")).isEqualTo(7d);
        assertThatThrownBy(() -> m.getChar("string")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getBytes("string")).isInstanceOf(MessageFormatException.class);

        assertThat(m.getBytes("bytes")).containsExactly(8);
        assertThat(m.getBytes("range")).containsExactly(9, 10);
        assertThatThrownBy(() -> m.getString("bytes")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getObject("char")).isEqualTo('c');
        assertThat(Collections.list(m.getMapNames())).containsExactly("bool", "byte", "short", "char", "int", "long",
                "float", "double", "string", "bytes", "range");
        assertThat(m.itemExists("int")).isTrue();
        assertThat(m.itemExists("nope")).isFalse();
    }

    @Test
    void absentNamesReadAsValueOfNull() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        assertThat(m.getString("x")).isNull();
        assertThat(m.getBytes("x")).isNull();
        assertThat(m.getObject("x")).isNull();
        assertThat(m.getBoolean("x")).isFalse();
        assertThatThrownBy(() -> m.getInt("x")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> m.getChar("x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.getDouble("x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void bytesAreCopiedInAndOut() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        byte[] value = {1};
        m.setBytes("b", value);
        m.setObject("o", value);
        value[0] = 2;
        m.getBytes("b")[0] = 3;
        ((byte[]) m.getObject("o"))[0] = 3;
        assertThat(m.getBytes("b")).containsExactly(1);
        assertThat(m.getBytes("o")).containsExactly(1);
    }

    @Test
    void namesAndObjectTypesAreChecked() {
        TernMapMessage m = new TernMapMessage();
        assertThatThrownBy(() -> m.setInt(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setInt("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setObject("x", new Object())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void readOnlyUntilClearBody() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        m.setInt("a", 1);
        m.setReadOnly();
        assertThatThrownBy(() -> m.setInt("a", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.setObject("a", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.setBytes("a", new byte[1], 0, 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.getInt("a")).isEqualTo(1);
        m.clearBody();
        assertThat(m.itemExists("a")).isFalse();
        m.setInt("a", 2);
    }

    @Test
    void getBodyReturnsAMapOrNullWhenEmpty() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        assertThat(m.isBodyAssignableTo(String.class)).isTrue();
        assertThat(m.getBody(String.class)).isNull();
        m.setInt("a", 1);
        assertThat(m.isBodyAssignableTo(Map.class)).isTrue();
        assertThat(m.isBodyAssignableTo(Object.class)).isTrue();
        assertThat(m.isBodyAssignableTo(String.class)).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertThat(body).containsExactly(Map.entry("a", 1));
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }
}
