package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BytesMessageTest {

    @Test
    void everyWriteReadsBackAfterReset() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -2);
        m.writeShort((short) -3);
        m.writeChar('é');
        m.writeInt(70000);
        m.writeLong(1L << 40);
        m.writeFloat(1.5f);
        m.writeDouble(2.5d);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
        m.writeByte((byte) 0xF0);
        m.writeShort((short) 0xFFFE);
        m.reset();
        assertThat(m.readBoolean()).isTrue();
        assertThat(m.readByte()).isEqualTo((byte) -2);
        assertThat(m.readShort()).isEqualTo((short) -3);
        assertThat(m.readChar()).isEqualTo('é');
        assertThat(m.readInt()).isEqualTo(70000);
        assertThat(m.readLong()).isEqualTo(1L << 40);
        assertThat(m.readFloat()).isEqualTo(1.5f);
        assertThat(m.readDouble()).isEqualTo(2.5d);
        assertThat(m.readUTF()).isEqualTo("héllo");
        byte[] five = new byte[5];
        assertThat(m.readBytes(five)).isEqualTo(5);
        assertThat(five).containsExactly(1, 2, 3, 4, 5);
        assertThat(m.readUnsignedByte()).isEqualTo(0xF0);
        assertThat(m.readUnsignedShort()).isEqualTo(0xFFFE);
        assertThatThrownBy(m::readByte).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void bodyUsesDataOutputEncoding() throws Exception {
        TernBytesMessage m = new TernBytesMessage();
        m.writeInt(7);
        m.writeUTF("x");
        m.writeDouble(0.5);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeInt(7);
            out.writeUTF("x");
            out.writeDouble(0.5);
        }
        assertThat(m.encodeBody()).isEqualTo(expected.toByteArray());
        m.reset();
        assertThat(m.getBodyLength()).isEqualTo(expected.size());
    }

    @Test
    void writeObjectWritesEachSupportedType() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeObject(true);
        m.writeObject((byte) 1);
        m.writeObject((short) 2);
        m.writeObject('c');
        m.writeObject(3);
        m.writeObject(4L);
        m.writeObject(5f);
        m.writeObject(6d);
        m.writeObject("s");
        m.writeObject(new byte[] {7});
        m.reset();
        assertThat(m.readBoolean()).isTrue();
        assertThat(m.readByte()).isEqualTo((byte) 1);
        assertThat(m.readShort()).isEqualTo((short) 2);
        assertThat(m.readChar()).isEqualTo('c');
        assertThat(m.readInt()).isEqualTo(3);
        assertThat(m.readLong()).isEqualTo(4L);
        assertThat(m.readFloat()).isEqualTo(5f);
        assertThat(m.readDouble()).isEqualTo(6d);
        assertThat(m.readUTF()).isEqualTo("s");
        assertThat(m.readByte()).isEqualTo((byte) 7);
    }

    @Test
    void writeObjectRefusesNullAndOtherTypes() {
        TernBytesMessage m = new TernBytesMessage();
        assertThatThrownBy(() -> m.writeObject(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void readBytesFillsTheBufferThenReturnsTheRestThenMinusOne() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.reset();
        byte[] buf = new byte[3];
        assertThat(m.readBytes(buf)).isEqualTo(3);
        assertThat(buf).containsExactly(1, 2, 3);
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf[0]).isEqualTo((byte) 4);
        assertThat(buf[1]).isEqualTo((byte) 5);
        assertThat(m.readBytes(buf)).isEqualTo(-1);
    }

    @Test
    void readBytesWithLengthReadsAtMostLength() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4});
        m.reset();
        byte[] buf = new byte[4];
        assertThat(m.readBytes(buf, 2)).isEqualTo(2);
        assertThat(buf).containsExactly(1, 2, 0, 0);
        assertThatThrownBy(() -> m.readBytes(buf, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.readBytes(buf, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(m.readBytes(buf, 4)).isEqualTo(2);
        assertThat(buf[0]).isEqualTo((byte) 3);
        assertThat(m.readBytes(buf, 4)).isEqualTo(-1);
    }

    @Test
    void aFailedReadAtTheEndLeavesThePositionAlone() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeShort((short) 0x0102);
        m.reset();
        assertThatThrownBy(m::readInt).isInstanceOf(MessageEOFException.class);
        assertThat(m.readShort()).isEqualTo((short) 0x0102);
    }

    @Test
    void badUtfIsAFormatError() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeShort((short) 2);
        m.writeByte((byte) 0xFF);
        m.writeByte((byte) 0xFF);
        m.reset();
        assertThatThrownBy(m::readUTF).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void tooLongUtfIsAFormatError() {
        TernBytesMessage m = new TernBytesMessage();
        assertThatThrownBy(() -> m.writeUTF("x".repeat(70_000))).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void writeOnlyUntilResetThenReadOnly() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeInt(1);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(m::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(() -> m.readBytes(new byte[1])).isInstanceOf(MessageNotReadableException.class);
        m.reset();
        assertThatThrownBy(() -> m.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.writeObject("x")).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.readInt()).isEqualTo(1);
        m.reset();
        assertThat(m.readInt()).isEqualTo(1);
    }

    @Test
    void clearBodyEmptiesItAndMakesItWritable() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.writeInt(1);
        m.reset();
        m.clearBody();
        m.writeByte((byte) 5);
        m.reset();
        assertThat(m.getBodyLength()).isEqualTo(1);
        assertThat(m.readByte()).isEqualTo((byte) 5);
    }

    @Test
    void getBodyReturnsAllBytesAndResets() throws JMSException, IOException {
        TernBytesMessage m = new TernBytesMessage();
        assertThat(m.isBodyAssignableTo(String.class)).isTrue();
        assertThat(m.getBody(String.class)).isNull();
        m.clearBody();
        m.writeBytes(new byte[] {1, 2, 3});
        assertThat(m.isBodyAssignableTo(byte[].class)).isTrue();
        assertThat(m.isBodyAssignableTo(Object.class)).isTrue();
        assertThat(m.isBodyAssignableTo(String.class)).isFalse();
        assertThat(m.getBody(byte[].class)).containsExactly(1, 2, 3);
        assertThat(m.readByte()).isEqualTo((byte) 1);
        assertThat(m.getBody(Object.class)).isEqualTo(new byte[] {1, 2, 3});
        assertThat(m.readByte()).isEqualTo((byte) 1);
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }
}
