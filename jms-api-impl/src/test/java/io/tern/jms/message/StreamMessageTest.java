package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The StreamMessage conversion table, modes and readBytes chunks. */
class StreamMessageTest {

    @FunctionalInterface
    interface Reader {
        Object read(TernStreamMessage m) throws JMSException;
    }

    private static final Map<String, Reader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("boolean", TernStreamMessage::readBoolean);
        READERS.put("byte", TernStreamMessage::readByte);
        READERS.put("short", TernStreamMessage::readShort);
        READERS.put("char", TernStreamMessage::readChar);
        READERS.put("int", TernStreamMessage::readInt);
        READERS.put("long", TernStreamMessage::readLong);
        READERS.put("float", TernStreamMessage::readFloat);
        READERS.put("double", TernStreamMessage::readDouble);
        READERS.put("String", TernStreamMessage::readString);
        READERS.put("byte[]", m -> {
            byte[] buf = new byte[8];
            int n = m.readBytes(buf);
            return java.util.Arrays.copyOf(buf, n);
        });
    }

    /** Item, then the expected value per reader (READERS order); null marks MessageFormatException. */
    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(true, new Object[] {true, null, null, null, null, null, null, null, "true", null}),
                Arguments.of((byte) 7, new Object[] {null, (byte) 7, (short) 7, null, 7, 7L, null, null, "7", null}),
                Arguments.of((short) 300, new Object[] {null, null, (short) 300, null, 300, 300L, null, null, "300",
                        null}),
                Arguments.of('c', new Object[] {null, null, null, 'c', null, null, null, null, "c", null}),
                Arguments.of(70000, new Object[] {null, null, null, null, 70000, 70000L, null, null, "70000", null}),
                Arguments.of(8L, new Object[] {null, null, null, null, null, 8L, null, null, "8", null}),
                Arguments.of(1.5f, new Object[] {null, null, null, null, null, null, 1.5f, 1.5d, "1.5", null}),
                Arguments.of(2.5d, new Object[] {null, null, null, null, null, null, null, 2.5d, "2.5", null}),
                Arguments.of("1", new Object[] {false, (byte) 1, (short) 1, null, 1, 1L, 1f, 1d, "1", null}),
                Arguments.of(new byte[] {4, 5}, new Object[] {null, null, null, null, null, null, null, null, null,
                        new byte[] {4, 5}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachCellIsAllowedOrRefusedWithoutMovingThePosition(Object item, Object[] expected) throws JMSException {
        int column = 0;
        for (Map.Entry<String, Reader> reader : READERS.entrySet()) {
            TernStreamMessage m = new TernStreamMessage();
            m.writeObject(item);
            m.writeInt(99);
            m.reset();
            Object want = expected[column++];
            if (want == null) {
                assertThatThrownBy(() -> reader.getValue().read(m))
                        .as("%s read as %s", ValueConversions.typeName(item), reader.getKey())
                        .isExactlyInstanceOf(MessageFormatException.class);
                assertThat(m.readObject()).as("position unchanged").isEqualTo(item);
            } else {
                assertThat(reader.getValue().read(m))
                        .as("%s read as %s", ValueConversions.typeName(item), reader.getKey()).isEqualTo(want);
            }
            assertThat(m.readInt()).isEqualTo(99);
        }
    }

    @Test
    void aBadNumberStringThrowsNumberFormatExceptionAndCanBeReadAgain() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        m.writeString("abc");
        m.reset();
        assertThatThrownBy(m::readInt).isInstanceOf(NumberFormatException.class);
        assertThat(m.readString()).isEqualTo("abc");
    }

    @Test
    void nullItemsReadAsValueOfNull() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        m.writeObject(null);
        m.reset();
        assertThatThrownBy(m::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(m::readFloat).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(m::readChar).isInstanceOf(NullPointerException.class);
        assertThat(m.readBoolean()).isFalse();
        m.reset();
        assertThat(m.readString()).isNull();
        m.reset();
        assertThat(m.readObject()).isNull();
        m.reset();
        assertThat(m.readBytes(new byte[1])).isEqualTo(-1);
        assertThatThrownBy(m::readObject).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void readBytesReadsAnItemInChunks() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeBytes(new byte[] {6, 7, 8, 9});
        m.writeBytes(new byte[0]);
        m.writeBytes(new byte[] {0, 10, 11, 0}, 1, 2);
        m.writeInt(42);
        m.reset();
        byte[] buf = new byte[2];
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf).containsExactly(1, 2);
        assertThatThrownBy(m::readInt).as("item not finished").isInstanceOf(MessageFormatException.class);
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf).containsExactly(3, 4);
        assertThat(m.readBytes(buf)).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 5);
        // the next item, 4 bytes: two full chunks, then -1 ends it
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf).containsExactly(8, 9);
        assertThat(m.readBytes(buf)).isEqualTo(-1);
        // empty item
        assertThat(m.readBytes(buf)).isZero();
        // the range written
        assertThat(m.readBytes(new byte[4])).isEqualTo(2);
        assertThatThrownBy(() -> m.readBytes(buf)).as("not a byte[]").isInstanceOf(MessageFormatException.class);
        assertThat(m.readInt()).isEqualTo(42);
        assertThatThrownBy(() -> m.readBytes(buf)).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void writtenBytesAndReadObjectAreCopies() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        byte[] value = {1};
        m.writeBytes(value);
        m.writeObject(value);
        value[0] = 9;
        m.reset();
        byte[] read = (byte[]) m.readObject();
        assertThat(read).containsExactly(1);
        assertThat(m.readObject()).isEqualTo(new byte[] {1});
    }

    @Test
    void writeObjectRefusesOtherTypes() {
        TernStreamMessage m = new TernStreamMessage();
        assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void modesAndEndOfStream() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        m.writeInt(1);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        m.reset();
        assertThatThrownBy(() -> m.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.readInt()).isEqualTo(1);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageEOFException.class);
        m.reset();
        assertThat(m.readLong()).isEqualTo(1L);
        m.clearBody();
        m.writeString("a");
        m.reset();
        assertThat(m.readString()).isEqualTo("a");
    }

    @Test
    void getBodyIsRefusedAndNeverAssignable() throws JMSException {
        TernStreamMessage m = new TernStreamMessage();
        assertThat(m.isBodyAssignableTo(Object.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
        m.writeInt(1);
        assertThat(m.isBodyAssignableTo(Object.class)).isFalse();
    }
}
