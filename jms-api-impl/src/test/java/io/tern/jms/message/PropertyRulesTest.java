package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.destination.TernQueue;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Property names, read-only mode, clearProperties, JMSX properties and the provider hooks. */
class PropertyRulesTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1abc", "a-b", "a b", "a.b", "JMSFoo", "JMSXUserID", "JMSXDeliveryCount", "JMS_tern_x",
            "JMSCorrelationID"})
    void invalidNamesAreRefused(String name) {
        TernMessage m = new TernMessage();
        assertThatThrownBy(() -> m.setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setObjectProperty(name, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A selector's reserved words are accepted as names, as ActiveMQ and Artemis accept them (and the JORAM suite
     * expects): no selector can name such a property, which is the only consequence.
     */
    @ParameterizedTest
    @ValueSource(strings = {"NULL", "true", "False", "not", "AND", "or", "BETWEEN", "like", "IN", "is", "Escape"})
    void reservedSelectorWordsAreAcceptedAsNames(String name) throws JMSException {
        TernMessage m = new TernMessage();
        m.setBooleanProperty(name, true);
        assertThat(m.getBooleanProperty(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_x", "$y", "order_id2", "Straße", "NULLABLE", "isIt", "JMSXGroupID", "jmsLower"})
    void validNamesAreAccepted(String name) throws JMSException {
        TernMessage m = new TernMessage();
        if (name.equals("JMSXGroupID")) {
            m.setStringProperty(name, "g");
        } else {
            m.setIntProperty(name, 1);
        }
        assertThat(m.propertyExists(name)).isTrue();
    }

    @Test
    void groupPropertiesMustHaveTheirSpecTypes() throws JMSException {
        TernMessage m = new TernMessage();
        m.setStringProperty("JMSXGroupID", "orders");
        m.setIntProperty("JMSXGroupSeq", 3);
        assertThat(m.getStringProperty("JMSXGroupID")).isEqualTo("orders");
        assertThat(m.getIntProperty("JMSXGroupSeq")).isEqualTo(3);
        assertThatThrownBy(() -> m.setLongProperty("JMSXGroupSeq", 3L)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setIntProperty("JMSXGroupID", 3)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        TernMessage m = new TernMessage();
        m.setIntProperty("a", 1);
        m.setReadOnly();
        assertThatThrownBy(() -> m.setIntProperty("a", 2)).isInstanceOf(MessageNotWriteableException.class)
                .hasMessageContaining("clearProperties");
        assertThatThrownBy(() -> m.setObjectProperty("b", "x")).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.getIntProperty("a")).isEqualTo(1);

        m.clearProperties();
        assertThat(m.propertyExists("a")).isFalse();
        assertThat(Collections.list(m.getPropertyNames())).isEmpty();
        m.setIntProperty("a", 2);
        assertThat(m.getIntProperty("a")).isEqualTo(2);
    }

    @Test
    void headerFieldsStayWritableOnAReceivedMessage() {
        TernMessage m = new TernMessage();
        m.setReadOnly();
        m.setJMSType("t");
        m.setJMSDestination(new TernQueue("q"));
        assertThat(m.getJMSType()).isEqualTo("t");
    }

    @Test
    void propertyNamesAreListedInOrderOfSetting() throws JMSException {
        TernMessage m = new TernMessage();
        m.setIntProperty("b", 1);
        m.setIntProperty("a", 2);
        m.setIntProperty("b", 3);
        assertThat(Collections.list(m.getPropertyNames())).containsExactly("b", "a");
    }

    @Test
    void deliveryCountIsAReadOnlyPropertyThatSurvivesClearProperties() throws JMSException {
        TernMessage m = new TernMessage();
        assertThat(m.propertyExists("JMSXDeliveryCount")).isFalse();
        m.setIntProperty("x", 1);
        m.setReadOnly();
        m.setDeliveryCount(1);
        assertThat(m.getJMSRedelivered()).isFalse();
        m.setDeliveryCount(3);
        assertThat(m.getDeliveryCount()).isEqualTo(3);
        assertThat(m.getJMSRedelivered()).isTrue();
        assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(m.getObjectProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(m.getLongProperty("JMSXDeliveryCount")).isEqualTo(3L);
        assertThat(Collections.list(m.getPropertyNames())).containsExactly("x", "JMSXDeliveryCount");
        m.clearProperties();
        assertThat(Collections.list(m.getPropertyNames())).containsExactly("JMSXDeliveryCount");
        assertThatThrownBy(() -> m.setIntProperty("JMSXDeliveryCount", 9))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acknowledgeCallsTheSessionsCallbackOrNothing() throws JMSException {
        TernMessage m = new TernMessage();
        assertThatCode(m::acknowledge).doesNotThrowAnyException();
        int[] calls = new int[1];
        m.setAcknowledger(() -> calls[0]++);
        m.acknowledge();
        assertThat(calls[0]).isEqualTo(1);
        m.setAcknowledger(() -> {
            throw new jakarta.jms.IllegalStateException("session closed");
        });
        assertThatThrownBy(m::acknowledge).isInstanceOf(jakarta.jms.IllegalStateException.class);
    }

    @Test
    void correlationIdConvertsBetweenStringAndBytes() {
        TernMessage m = new TernMessage();
        assertThat(m.getJMSCorrelationID()).isNull();
        assertThat(m.getJMSCorrelationIDAsBytes()).isNull();
        m.setJMSCorrelationID("abc");
        assertThat(m.getJMSCorrelationIDAsBytes()).containsExactly('a', 'b', 'c');
        byte[] bytes = {1, 2, 3};
        m.setJMSCorrelationIDAsBytes(bytes);
        bytes[0] = 9;
        assertThat(m.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
        m.getJMSCorrelationIDAsBytes()[1] = 9;
        assertThat(m.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
        m.setJMSCorrelationIDAsBytes(null);
        assertThat(m.getJMSCorrelationID()).isNull();
    }

    @Test
    void newMessageHasSpecDefaults() {
        TernMessage m = new TernMessage();
        assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(m.getJMSPriority()).isEqualTo(4);
        assertThat(m.getJMSExpiration()).isZero();
        assertThat(m.getJMSDeliveryTime()).isZero();
        assertThat(m.getJMSRedelivered()).isFalse();
    }

    @Test
    void toStringNamesTypeIdAndDestination() throws JMSException {
        TernTextMessage m = new TernTextMessage("a very long body that should not be printed");
        m.setJMSMessageID("ID:1");
        m.setJMSDestination(new TernQueue("orders"));
        assertThat(m.toString()).contains("TernTextMessage", "ID:1", "queue://orders")
                .doesNotContain("very long body");
    }
}
