package io.tern.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;

class TextAndPlainBodyTest {

    @Test
    void plainMessageHasNoBody() throws JMSException {
        TernMessage m = new TernMessage();
        assertThat(m.getBody(String.class)).isNull();
        assertThat(m.isBodyAssignableTo(Integer.class)).isTrue();
    }

    @Test
    void textBodyGetBodyAndAssignability() throws JMSException {
        TernTextMessage m = new TernTextMessage();
        assertThat(m.getText()).isNull();
        assertThat(m.getBody(Integer.class)).isNull();
        assertThat(m.isBodyAssignableTo(Integer.class)).isTrue();
        m.setText("hi");
        assertThat(m.getBody(String.class)).isEqualTo("hi");
        assertThat(m.getBody(CharSequence.class)).isEqualTo("hi");
        assertThat(m.getBody(Object.class)).isEqualTo("hi");
        assertThat(m.isBodyAssignableTo(CharSequence.class)).isTrue();
        assertThat(m.isBodyAssignableTo(Integer.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void receivedTextIsReadOnlyUntilClearBody() throws JMSException {
        TernTextMessage m = new TernTextMessage("a");
        m.setReadOnly();
        assertThatThrownBy(() -> m.setText("b")).isInstanceOf(MessageNotWriteableException.class)
                .hasMessageContaining("clearBody");
        m.clearBody();
        assertThat(m.getText()).isNull();
        m.setText("b");
        assertThat(m.getText()).isEqualTo("b");
    }
}
