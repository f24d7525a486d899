package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.destination.TernQueue;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** copyOf on minimal messages of a made-up provider. */
class ForeignMessagesTest {

    @Test
    void textMessageIsCopiedWithHeadersAndApplicationProperties() throws JMSException {
        ForeignText foreign = new ForeignText("hello");
        foreign.setJMSMessageID("ID:foreign-1");
        foreign.setJMSCorrelationID("c-1");
        foreign.setJMSPriority(8);
        foreign.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        foreign.setJMSExpiration(123);
        foreign.setJMSDeliveryTime(45);
        foreign.setJMSTimestamp(67);
        foreign.setJMSType("t");
        foreign.setJMSRedelivered(true);
        foreign.setJMSDestination(new TernQueue("q"));
        foreign.setIntProperty("count", 3);
        foreign.setStringProperty("JMSXGroupID", "g");
        foreign.setStringProperty("JMS_Foreign_Thing", "vendor");
        foreign.setIntProperty("JMSXDeliveryCount", 5);

        TernMessage copy = MessageCodec.copyOf(foreign);
        assertThat(copy).isInstanceOf(TernTextMessage.class);
        assertThat(((TernTextMessage) copy).getText()).isEqualTo("hello");
        assertThat(copy.getJMSMessageID()).isEqualTo("ID:foreign-1");
        assertThat(copy.getJMSCorrelationID()).isEqualTo("c-1");
        assertThat(copy.getJMSPriority()).isEqualTo(8);
        assertThat(copy.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(copy.getJMSExpiration()).isEqualTo(123);
        assertThat(copy.getJMSDeliveryTime()).isEqualTo(45);
        assertThat(copy.getJMSTimestamp()).isEqualTo(67);
        assertThat(copy.getJMSType()).isEqualTo("t");
        assertThat(copy.getJMSRedelivered()).isTrue();
        assertThat(copy.getJMSDestination()).isEqualTo(new TernQueue("q"));
        assertThat(Collections.list(copy.getPropertyNames())).containsExactly("count", "JMSXGroupID");
        assertThat(copy.getIntProperty("count")).isEqualTo(3);

        TernTextMessage decoded = (TernTextMessage) MessageCodec.decode(MessageCodec.encode(copy));
        assertThat(decoded.getText()).isEqualTo("hello");
    }

    @Test
    void bytesMessageIsReadAfterReset() throws JMSException {
        ForeignBytes foreign = new ForeignBytes(new byte[20_000]);
        foreign.body[0] = 1;
        foreign.body[19_999] = 2;
        foreign.position = 7; // half read by the application
        foreign.setJMSCorrelationIDAsBytes(new byte[] {9, 8});
        TernBytesMessage copy = (TernBytesMessage) MessageCodec.copyOf(foreign);
        copy.reset();
        assertThat(copy.getBodyLength()).isEqualTo(20_000);
        assertThat(copy.getBody(byte[].class)).isEqualTo(foreign.body);
        assertThat(copy.getJMSCorrelationIDAsBytes()).containsExactly(9, 8);
    }

    @Test
    void aForeignReplyToIsRefusedWhenTheCopyIsEncoded() throws JMSException {
        ForeignText foreign = new ForeignText("x");
        foreign.setJMSDestination(new TernQueue("q"));
        foreign.setJMSReplyTo(new Destination() { });
        TernMessage copy = MessageCodec.copyOf(foreign);
        assertThatThrownBy(() -> MessageCodec.encode(copy)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("JMSReplyTo");
    }

    /** The header and property part of a made-up provider's message. */
    abstract static class ForeignMessage implements jakarta.jms.Message {
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private String id;
        private long timestamp;
        private String correlationId;
        private byte[] correlationBytes;
        private Destination replyTo;
        private Destination destination;
        private int deliveryMode = DeliveryMode.PERSISTENT;
        private boolean redelivered;
        private String type;
        private long expiration;
        private long deliveryTime;
        private int priority = 4;

        @Override public String getJMSMessageID() { return id; }
        @Override public void setJMSMessageID(String id) { this.id = id; }
        @Override public long getJMSTimestamp() { return timestamp; }
        @Override public void setJMSTimestamp(long timestamp) { this.timestamp = timestamp; }
        @Override public byte[] getJMSCorrelationIDAsBytes() { return correlationBytes; }
        @Override public void setJMSCorrelationIDAsBytes(byte[] id) { this.correlationBytes = id; }
        @Override public void setJMSCorrelationID(String id) { this.correlationId = id; }
        @Override public String getJMSCorrelationID() { return correlationId; }
        @Override public Destination getJMSReplyTo() { return replyTo; }
        @Override public void setJMSReplyTo(Destination replyTo) { this.replyTo = replyTo; }
        @Override public Destination getJMSDestination() { return destination; }
        @Override public void setJMSDestination(Destination d) { this.destination = d; }
        @Override public int getJMSDeliveryMode() { return deliveryMode; }
        @Override public void setJMSDeliveryMode(int mode) { this.deliveryMode = mode; }
        @Override public boolean getJMSRedelivered() { return redelivered; }
        @Override public void setJMSRedelivered(boolean r) { this.redelivered = r; }
        @Override public String getJMSType() { return type; }
        @Override public void setJMSType(String type) { this.type = type; }
        @Override public long getJMSExpiration() { return expiration; }
        @Override public void setJMSExpiration(long e) { this.expiration = e; }
        @Override public long getJMSDeliveryTime() { return deliveryTime; }
        @Override public void setJMSDeliveryTime(long t) { this.deliveryTime = t; }
        @Override public int getJMSPriority() { return priority; }
        @Override public void setJMSPriority(int p) { this.priority = p; }
        @Override public void clearProperties() { properties.clear(); }
        @Override public boolean propertyExists(String name) { return properties.containsKey(name); }
        @Override public boolean getBooleanProperty(String name) { return (Boolean) properties.get(name); }
        @Override public byte getByteProperty(String name) { return (Byte) properties.get(name); }
        @Override public short getShortProperty(String name) { return (Short) properties.get(name); }
        @Override public int getIntProperty(String name) { return (Integer) properties.get(name); }
        @Override public long getLongProperty(String name) { return (Long) properties.get(name); }
        @Override public float getFloatProperty(String name) { return (Float) properties.get(name); }
        @Override public double getDoubleProperty(String name) { return (Double) properties.get(name); }
        @Override public String getStringProperty(String name) { return (String) properties.get(name); }
        @Override public Object getObjectProperty(String name) { return properties.get(name); }
        @Override public Enumeration<String> getPropertyNames() { return Collections.enumeration(properties.keySet()); }
        @Override public void setBooleanProperty(String name, boolean v) { properties.put(name, v); }
        @Override public void setByteProperty(String name, byte v) { properties.put(name, v); }
        @Override public void setShortProperty(String name, short v) { properties.put(name, v); }
        @Override public void setIntProperty(String name, int v) { properties.put(name, v); }
        @Override public void setLongProperty(String name, long v) { properties.put(name, v); }
        @Override public void setFloatProperty(String name, float v) { properties.put(name, v); }
        @Override public void setDoubleProperty(String name, double v) { properties.put(name, v); }
        @Override public void setStringProperty(String name, String v) { properties.put(name, v); }
        @Override public void setObjectProperty(String name, Object v) { properties.put(name, v); }
        @Override public void acknowledge() { }
        @Override public <T> T getBody(Class<T> c) { throw new UnsupportedOperationException(); }
        @Override @SuppressWarnings("rawtypes") public boolean isBodyAssignableTo(Class c) { return false; }
    }

    static final class ForeignText extends ForeignMessage implements TextMessage {
        private String text;

        ForeignText(String text) {
            this.text = text;
        }

        @Override public void setText(String text) { this.text = text; }
        @Override public String getText() { return text; }
        @Override public void clearBody() { text = null; }
    }

    /** Only what copyOf needs is implemented: reset and readBytes. */
    static final class ForeignBytes extends ForeignMessage implements BytesMessage {
        final byte[] body;
        int position;

        ForeignBytes(byte[] body) {
            this.body = body;
        }

        @Override public void reset() { position = 0; }
        @Override public long getBodyLength() { return body.length; }
        @Override public int readBytes(byte[] value) { return readBytes(value, value.length); }
        @Override public int readBytes(byte[] value, int length) {
            if (position >= body.length) {
                return -1;
            }
            int n = Math.min(length, body.length - position);
            System.arraycopy(body, position, value, 0, n);
            position += n;
            return n;
        }
        @Override public void clearBody() { throw new UnsupportedOperationException(); }
        @Override public boolean readBoolean() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public byte readByte() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public int readUnsignedByte() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public short readShort() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public int readUnsignedShort() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public char readChar() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public int readInt() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public long readLong() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public float readFloat() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public double readDouble() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public String readUTF() throws JMSException { throw new MessageEOFException("unused"); }
        @Override public void writeBoolean(boolean value) { throw new UnsupportedOperationException(); }
        @Override public void writeByte(byte value) { throw new UnsupportedOperationException(); }
        @Override public void writeShort(short value) { throw new UnsupportedOperationException(); }
        @Override public void writeChar(char value) { throw new UnsupportedOperationException(); }
        @Override public void writeInt(int value) { throw new UnsupportedOperationException(); }
        @Override public void writeLong(long value) { throw new UnsupportedOperationException(); }
        @Override public void writeFloat(float value) { throw new UnsupportedOperationException(); }
        @Override public void writeDouble(double value) { throw new UnsupportedOperationException(); }
        @Override public void writeUTF(String value) { throw new UnsupportedOperationException(); }
        @Override public void writeBytes(byte[] value) { throw new UnsupportedOperationException(); }
        @Override public void writeBytes(byte[] value, int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public void writeObject(Object value) { throw new UnsupportedOperationException(); }
    }
}
