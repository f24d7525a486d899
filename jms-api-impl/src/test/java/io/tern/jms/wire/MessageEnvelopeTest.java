package io.tern.jms.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageEnvelopeTest {

    @Test
    void headerPropertiesAndBodyRoundTrip() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("s", "text");
        props.put("i", 42);
        props.put("l", 7L);
        props.put("b", true);
        props.put("y", (byte) -1);
        props.put("h", (short) 300);
        props.put("f", 1.5f);
        props.put("d", 2.25d);
        props.put("n", null);
        MessageHeader h = new MessageHeader(MessageEnvelope.BODY_BYTES, true, 9, 100L, 200L, 300L, "ID:x:1",
                WireDestination.queue("q"), new WireDestination(DestinationKind.TEMPORARY_TOPIC, "tt"),
                new byte[] {1, 2}, "kind");
        byte[] bytes = MessageEnvelope.encode(h, props, new byte[] {5, 6, 7});

        MessageEnvelope e = MessageEnvelope.parse(bytes);
        assertThat(e.header().persistent()).isTrue();
        assertThat(e.header().priority()).isEqualTo(9);
        assertThat(e.header().destination()).isEqualTo(WireDestination.queue("q"));
        assertThat(e.header().replyTo().kind()).isEqualTo(DestinationKind.TEMPORARY_TOPIC);
        assertThat((byte[]) e.header().correlationId()).containsExactly(1, 2);
        assertThat(e.header().messageId()).isEqualTo("ID:x:1");
        assertThat(e.header().type()).isEqualTo("kind");
        assertThat(e.header().expiration()).isEqualTo(200L);
        assertThat(e.header().deliveryTime()).isEqualTo(300L);
        assertThat(e.properties()).containsExactlyEntriesOf(props);
        assertThat(e.body()).containsExactly(5, 6, 7);
        assertThat(e.bytes()).isSameAs(bytes);
    }

    @Test
    void fixedFieldsSitAtTheDocumentedOffsets() {
        MessageHeader h = new MessageHeader(MessageEnvelope.BODY_TEXT, false, 3, 0x0102L, 0L, 0L, null,
                WireDestination.topic("t"), null, null, null);
        byte[] b = MessageEnvelope.encode(h, Map.of(), null);
        assertThat(b[MessageEnvelope.VERSION_OFFSET]).isEqualTo((byte) 1);
        assertThat(b[MessageEnvelope.BODY_TYPE_OFFSET]).isEqualTo((byte) MessageEnvelope.BODY_TEXT);
        assertThat(b[MessageEnvelope.FLAGS_OFFSET]).isZero();
        assertThat(b[MessageEnvelope.PRIORITY_OFFSET]).isEqualTo((byte) 3);
        assertThat(b[MessageEnvelope.TIMESTAMP_OFFSET + 6]).isEqualTo((byte) 1);
        assertThat(b[MessageEnvelope.TIMESTAMP_OFFSET + 7]).isEqualTo((byte) 2);
    }

    @Test
    void garbageIsRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> MessageEnvelope.parse(new byte[] {2})).hasMessageContaining("envelope version 2");
        assertThatThrownBy(() -> MessageEnvelope.parse(new byte[] {1, 0, 0, 12}))
                .hasMessageContaining("priority 12");
        assertThatThrownBy(() -> MessageEnvelope.parse(new byte[] {1, 0, 0, 1, 0}))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("timestamp");
    }

    @Test
    void everyTruncationOfAValidEnvelopeIsRefusedCleanly() {
        byte[] good = MessageEnvelope.encode(new MessageHeader(MessageEnvelope.BODY_MESSAGE, true, 4, 1, 0, 0, "ID:1",
                WireDestination.queue("q"), null, "c", "t"), Map.of("a", "b"), null);
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            try {
                MessageEnvelope.parse(cut).properties();
            } catch (MalformedFrameException expected) {
                continue;
            }
            // a cut inside the body (there is none here) would be the only legal parse
            throw new AssertionError("a " + len + "-byte prefix of a " + good.length + "-byte envelope parsed");
        }
    }
}
