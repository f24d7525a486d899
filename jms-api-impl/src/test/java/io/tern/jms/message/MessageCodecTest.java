package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTemporaryQueue;
import io.tern.jms.destination.TernTopic;
import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static <M extends TernMessage> M withHeadersAndProperties(M m) throws JMSException {
        m.setJMSDestination(new TernTopic("prices"));
        m.setJMSMessageID("ID:abc-1");
        m.setJMSTimestamp(1_700_000_000_000L);
        m.setJMSExpiration(1_700_000_060_000L);
        m.setJMSDeliveryTime(1_700_000_005_000L);
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(7);
        m.setJMSType("quote");
        m.setJMSReplyTo(new TernTemporaryQueue("tmp-1", null));
        m.setJMSCorrelationIDAsBytes(new byte[] {0, 1, (byte) 0xFF});
        m.setBooleanProperty("bool", true);
        m.setByteProperty("byte", (byte) -1);
        m.setShortProperty("short", (short) -2);
        m.setIntProperty("int", -3);
        m.setLongProperty("long", -4L);
        m.setFloatProperty("float", 1.5f);
        m.setDoubleProperty("double", 2.5d);
        m.setStringProperty("string", "ünï");
        m.setStringProperty("nullString", null);
        m.setStringProperty("JMSXGroupID", "g1");
        m.setIntProperty("JMSXGroupSeq", 2);
        return m;
    }

    private static void assertHeadersAndProperties(TernMessage m) throws JMSException {
        assertThat(m.getJMSDestination()).isEqualTo(new TernTopic("prices"));
        assertThat(m.getJMSMessageID()).isEqualTo("ID:abc-1");
        assertThat(m.getJMSTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(m.getJMSExpiration()).isEqualTo(1_700_000_060_000L);
        assertThat(m.getJMSDeliveryTime()).isEqualTo(1_700_000_005_000L);
        assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(m.getJMSPriority()).isEqualTo(7);
        assertThat(m.getJMSType()).isEqualTo("quote");
        assertThat(m.getJMSReplyTo()).isInstanceOf(TernTemporaryQueue.class)
                .isEqualTo(new TernTemporaryQueue("tmp-1", null));
        assertThat(m.getJMSCorrelationIDAsBytes()).containsExactly(0, 1, 0xFF);
        assertThat(m.getJMSRedelivered()).isFalse();
        assertThat(Collections.list(m.getPropertyNames())).containsExactly("bool", "byte", "short", "int", "long",
                "float", "double", "string", "nullString", "JMSXGroupID", "JMSXGroupSeq");
        assertThat(m.getObjectProperty("bool")).isEqualTo(true);
        assertThat(m.getObjectProperty("byte")).isEqualTo((byte) -1);
        assertThat(m.getObjectProperty("short")).isEqualTo((short) -2);
        assertThat(m.getObjectProperty("int")).isEqualTo(-3);
        assertThat(m.getObjectProperty("long")).isEqualTo(-4L);
        assertThat(m.getObjectProperty("float")).isEqualTo(1.5f);
        assertThat(m.getObjectProperty("double")).isEqualTo(2.5d);
        assertThat(m.getObjectProperty("string")).isEqualTo("ünï");
        assertThat(m.propertyExists("nullString")).isTrue();
        assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo("g1");
        assertThat(m.getIntProperty("JMSXGroupSeq")).isEqualTo(2);
        assertThatThrownBy(() -> m.setIntProperty("x", 1)).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void plainMessageRoundTripsWithEveryHeaderAndPropertyType() throws JMSException {
        TernMessage decoded = MessageCodec.decode(MessageCodec.encode(withHeadersAndProperties(new TernMessage())));
        assertThat(decoded.getClass()).isEqualTo(TernMessage.class);
        assertHeadersAndProperties(decoded);
    }

    @Test
    void textMessageRoundTrips() throws JMSException {
        TernTextMessage m = withHeadersAndProperties(new TernTextMessage("héllo wörld"));
        TernMessage decoded = MessageCodec.decode(MessageCodec.encode(m));
        assertThat(decoded).isInstanceOf(TernTextMessage.class);
        assertThat(((TernTextMessage) decoded).getText()).isEqualTo("héllo wörld");
        assertThatThrownBy(() -> ((TernTextMessage) decoded).setText("x"))
                .isInstanceOf(MessageNotWriteableException.class);
        assertHeadersAndProperties(decoded);

        TernMessage nullText = MessageCodec.decode(MessageCodec.encode(withHeadersAndProperties(new TernTextMessage())));
        assertThat(((TernTextMessage) nullText).getText()).isNull();
        TernMessage emptyText = MessageCodec.decode(MessageCodec.encode(withHeadersAndProperties(
                new TernTextMessage(""))));
        assertThat(((TernTextMessage) emptyText).getText()).isEmpty();
    }

    @Test
    void bytesMessageRoundTripsInReadMode() throws JMSException {
        TernBytesMessage m = withHeadersAndProperties(new TernBytesMessage());
        m.writeInt(42);
        m.writeUTF("x");
        TernBytesMessage decoded = (TernBytesMessage) MessageCodec.decode(MessageCodec.encode(m));
        assertHeadersAndProperties(decoded);
        assertThat(decoded.getBodyLength()).isEqualTo(7);
        assertThat(decoded.readInt()).isEqualTo(42);
        assertThat(decoded.readUTF()).isEqualTo("x");
        assertThatThrownBy(() -> decoded.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void mapMessageRoundTrips() throws JMSException {
        TernMapMessage m = withHeadersAndProperties(new TernMapMessage());
        m.setChar("c", 'z');
        m.setBytes("b", new byte[] {1, 2});
        m.setString("s", null);
        m.setDouble("d", 1e300);
        TernMapMessage decoded = (TernMapMessage) MessageCodec.decode(MessageCodec.encode(m));
        assertHeadersAndProperties(decoded);
        assertThat(Collections.list(decoded.getMapNames())).containsExactly("c", "b", "s", "d");
        assertThat(decoded.getChar("c")).isEqualTo('z');
        assertThat(decoded.getBytes("b")).containsExactly(1, 2);
        assertThat(decoded.itemExists("s")).isTrue();
        assertThat(decoded.getString("s")).isNull();
        assertThat(decoded.getDouble("d")).isEqualTo(1e300);
        assertThatThrownBy(() -> decoded.setInt("x", 1)).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void streamMessageRoundTripsInReadMode() throws JMSException {
        TernStreamMessage m = withHeadersAndProperties(new TernStreamMessage());
        List<Object> items = Arrays.asList(true, (byte) 1, (short) 2, 'c', 3, 4L, 5f, 6d, "s", null);
        for (Object item : items) {
            m.writeObject(item);
        }
        m.writeBytes(new byte[] {7, 8});
        TernStreamMessage decoded = (TernStreamMessage) MessageCodec.decode(MessageCodec.encode(m));
        assertHeadersAndProperties(decoded);
        for (Object item : items) {
            assertThat(decoded.readObject()).isEqualTo(item);
        }
        assertThat(decoded.readObject()).isEqualTo(new byte[] {7, 8});
    }

    @Test
    void objectMessageRoundTrips() throws JMSException {
        TernObjectMessage m = withHeadersAndProperties(new TernObjectMessage());
        m.setObject(new java.util.ArrayList<>(List.of("a", 1)));
        TernObjectMessage decoded = (TernObjectMessage) MessageCodec.decode(MessageCodec.encode(m));
        assertHeadersAndProperties(decoded);
        assertThat(decoded.getObject()).isEqualTo(List.of("a", 1));
        TernMessage empty = MessageCodec.decode(MessageCodec.encode(withHeadersAndProperties(new TernObjectMessage())));
        assertThat(((TernObjectMessage) empty).getObject()).isNull();
    }

    @Test
    void stringCorrelationIdAndDefaultsRoundTrip() throws JMSException {
        TernMessage m = new TernMessage();
        m.setJMSDestination(new TernQueue("q"));
        m.setJMSCorrelationID("corr-1");
        TernMessage decoded = MessageCodec.decode(MessageCodec.encode(m));
        assertThat(decoded.getJMSCorrelationID()).isEqualTo("corr-1");
        assertThat(decoded.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(decoded.getJMSPriority()).isEqualTo(4);
        assertThat(decoded.getJMSReplyTo()).isNull();
        assertThat(decoded.getJMSMessageID()).isNull();
        assertThat(decoded.getJMSType()).isNull();
    }

    @Test
    void textEnvelopeMatchesTheProtocolByteForByte() throws JMSException {
        TernTextMessage m = new TernTextMessage("hi");
        m.setJMSDestination(new TernQueue("q"));
        m.setJMSMessageID("ID:1");
        m.setJMSPriority(5);
        m.setJMSTimestamp(2);
        m.setIntProperty("n", 7);
        byte[] bytes = MessageCodec.encode(m);
        ByteBuffer expected = ByteBuffer.allocate(bytes.length);
        expected.put((byte) 1).put((byte) MessageEnvelope.BODY_TEXT).put((byte) 1).put((byte) 5);
        expected.putLong(2).putLong(0).putLong(0);
        expected.putInt(4).put("ID:1".getBytes(StandardCharsets.US_ASCII));
        expected.put((byte) 1).putInt(1).put((byte) 'q');     // destination: queue "q"
        expected.put((byte) 0);                              // no reply-to
        expected.put((byte) 0);                              // no correlation id
        expected.putInt(-1);                                 // JMSType null
        expected.putInt(4 + 4 + 1 + 1 + 4);                  // properties length
        expected.putInt(1).putInt(1).put((byte) 'n').put((byte) 5).putInt(7);
        expected.put((byte) 1).put((byte) 'h').put((byte) 'i');  // body: present flag, UTF-8
        assertThat(expected.remaining()).isZero();
        assertThat(bytes).isEqualTo(expected.array());
        MessageEnvelope parsed = MessageEnvelope.parse(bytes);
        assertThat(parsed.bodyOffset()).isEqualTo(bytes.length - 3);
    }

    @Test
    void deliveryCountIsNotSentAndEncodeIgnoresReadOnlyMode() throws JMSException {
        TernMessage received = MessageCodec.decode(MessageCodec.encode(withHeadersAndProperties(new TernMessage())));
        received.setDeliveryCount(2);
        TernMessage again = MessageCodec.decode(MessageCodec.encode(received));
        assertThat(again.propertyExists("JMSXDeliveryCount")).isFalse();
        assertThat(again.getDeliveryCount()).isZero();
        assertHeadersAndProperties(again);
    }

    @Test
    void encodingSnapshotsTheMessage() throws JMSException {
        TernBytesMessage m = new TernBytesMessage();
        m.setJMSDestination(new TernQueue("q"));
        m.writeInt(1);
        byte[] first = MessageCodec.encode(m);
        m.writeInt(2);
        m.setIntProperty("later", 1);
        TernBytesMessage decoded = (TernBytesMessage) MessageCodec.decode(first);
        assertThat(decoded.getBodyLength()).isEqualTo(4);
        assertThat(decoded.propertyExists("later")).isFalse();
    }

    @Test
    void foreignOrMissingDestinationsAreRefused() {
        Queue foreign = () -> "elsewhere";
        TernMessage m = new TernMessage();
        assertThatThrownBy(() -> MessageCodec.encode(m)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("JMSDestination");
        m.setJMSDestination(foreign);
        assertThatThrownBy(() -> MessageCodec.encode(m)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("JMSDestination").hasMessageContaining("not a Tern destination");
        m.setJMSDestination(new TernQueue("q"));
        m.setJMSReplyTo(foreign);
        assertThatThrownBy(() -> MessageCodec.encode(m)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("JMSReplyTo");
    }

    @Test
    void priorityOutsideTheRangeIsRefused() {
        TernMessage m = new TernMessage();
        m.setJMSDestination(new TernQueue("q"));
        m.setJMSPriority(10);
        assertThatThrownBy(() -> MessageCodec.encode(m)).isInstanceOf(JMSException.class).hasMessageContaining("10");
    }

    @Test
    void malformedEnvelopesFailWithAJmsExceptionNamingTheProblem() throws JMSException {
        TernMapMessage m = new TernMapMessage();
        m.setJMSDestination(new TernQueue("q"));
        m.setInt("a", 1);
        byte[] good = MessageCodec.encode(m);
        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(good, 20)))
                .isExactlyInstanceOf(JMSException.class).hasMessageContaining("envelope");
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertThatThrownBy(() -> MessageCodec.decode(badVersion)).isInstanceOf(JMSException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(good, good.length - 2)))
                .isInstanceOf(JMSException.class).hasMessageContaining("map entry");
        byte[] badText = MessageCodec.encode(textIn("q", "x"));
        badText[badText.length - 2] = 7;
        assertThatThrownBy(() -> MessageCodec.decode(badText)).isInstanceOf(JMSException.class)
                .hasMessageContaining("TextMessage");
    }

    @Test
    void decodedPropertiesOfANonPropertyTypeAreRefused() {
        byte[] envelope = MessageEnvelope.encode(new io.tern.jms.wire.MessageHeader(MessageEnvelope.BODY_MESSAGE,
                true, 4, 0, 0, 0, "ID:x", io.tern.jms.wire.WireDestination.queue("q"), null, null, null),
                Map.of("bad", new byte[] {1}), null);
        assertThatThrownBy(() -> MessageCodec.decode(envelope)).isInstanceOf(JMSException.class)
                .hasMessageContaining("'bad'").hasMessageContaining("byte[]");
    }

    private static TernTextMessage textIn(String queue, String text) throws JMSException {
        TernTextMessage m = new TernTextMessage(text);
        m.setJMSDestination(new TernQueue(queue));
        return m;
    }
}
