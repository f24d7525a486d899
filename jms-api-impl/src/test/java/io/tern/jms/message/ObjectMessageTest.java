package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.destination.TernQueue;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectMessageTest {
    /** A serializable class in this test package; tests that want it untrusted leave io.tern off the list. */
    record Payload(String value) implements Serializable {
    }

    private static final String WITHOUT_IO_TERN = "java.lang,java.util,java.math";

    private String saved;

    @BeforeEach
    void saveProperty() {
        saved = System.getProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY);
        System.clearProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY);
        } else {
            System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, saved);
        }
    }

    private static TernObjectMessage received(Serializable object) throws JMSException {
        TernObjectMessage m = new TernObjectMessage();
        m.setJMSDestination(new TernQueue("q"));
        m.setObject(object);
        return (TernObjectMessage) MessageCodec.decode(MessageCodec.encode(m));
    }

    @Test
    void trustedClassesRoundTrip() throws JMSException {
        ArrayList<Object> list = new ArrayList<>(List.of("a", new BigDecimal("1.5"), new int[] {1, 2}));
        TernObjectMessage m = received(list);
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) m.getObject();
        assertThat(back.get(0)).isEqualTo("a");
        assertThat(back.get(1)).isEqualTo(new BigDecimal("1.5"));
        assertThat((int[]) back.get(2)).containsExactly(1, 2);
        List<?> body = m.getBody(List.class);
        assertThat(body).hasSize(3);
        assertThat(body.get(1)).isEqualTo(new BigDecimal("1.5"));
        assertThat(m.isBodyAssignableTo(Serializable.class)).isTrue();
        assertThat(m.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void setObjectTakesASnapshotAndGetObjectACopy() throws JMSException {
        TernObjectMessage m = new TernObjectMessage();
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        m.setObject(list);
        list.add("b");
        assertThat(m.getObject()).isEqualTo(List.of("a"));
        assertThat(m.getObject()).isNotSameAs(m.getObject());
    }

    @Test
    void theDefaultListTrustsTheJdkBasicsAndTernOnly() {
        TrustedPackages defaults = TrustedPackages.fromSystemProperty();
        assertThat(defaults.isTrusted("java.util.ArrayList")).isTrue();
        assertThat(defaults.isTrusted("java.time.Instant")).isTrue();
        assertThat(defaults.isTrusted("io.tern.jms.message.X")).isTrue();
        assertThat(defaults.isTrusted("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
        assertThat(defaults.isTrusted("javax.management.BadAttributeValueExpException")).isFalse();
        assertThat(defaults.isTrusted("io.ternx.Evil")).isFalse();
    }

    @Test
    void untrustedClassesAreRefusedNamingTheClassAndTheProperty() throws JMSException {
        TernObjectMessage m = received(new Payload("secret"));
        System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, WITHOUT_IO_TERN);
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Payload.class.getName())
                .hasMessageContaining("tern.jms.objectmessage.trustedPackages");
        assertThatThrownBy(() -> m.getBody(Object.class)).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Payload.class.getName());
        assertThat(m.isBodyAssignableTo(Object.class)).isFalse();
        // also when nested inside a trusted container
        TernObjectMessage nested = received(new ArrayList<>(List.of(new Payload("x"))));
        assertThatThrownBy(nested::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Payload.class.getName());
    }

    @Test
    void thePropertyWidensTheList() throws JMSException {
        TernObjectMessage m = received(new Payload("ok"));
        System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, WITHOUT_IO_TERN);
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class);
        System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, "java.lang, io.tern.jms.message");
        assertThat(m.getObject()).isEqualTo(new Payload("ok"));
        System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, "*");
        assertThat(m.getBody(Payload.class)).isEqualTo(new Payload("ok"));
        System.setProperty(TernObjectMessage.TRUSTED_PACKAGES_PROPERTY, "io.tern");
        assertThatThrownBy(() -> received(42).getObject())
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("class java.lang.");
    }

    @Test
    void nonSerializableContentIsAFormatError() {
        TernObjectMessage m = new TernObjectMessage();
        ArrayList<Object> list = new ArrayList<>();
        list.add(new Object());
        assertThatThrownBy(() -> m.setObject(list)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void noBodyAndReadOnlyMode() throws JMSException {
        TernObjectMessage m = received(null);
        assertThat(m.getObject()).isNull();
        assertThat(m.getBody(Integer.class)).isNull();
        assertThat(m.isBodyAssignableTo(Integer.class)).isTrue();
        assertThatThrownBy(() -> m.setObject("x")).isInstanceOf(MessageNotWriteableException.class);
        m.clearBody();
        m.setObject("x");
        assertThat(m.getObject()).isEqualTo("x");
    }
}
