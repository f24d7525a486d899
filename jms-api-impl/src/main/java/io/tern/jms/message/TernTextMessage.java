package io.tern.jms.message;

import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * A message whose body is a String, or null. Wire body: empty for null, else {@code u8 1} and the UTF-8 text.
 */
public class TernTextMessage extends TernMessage implements TextMessage {
    private static final byte TEXT_PRESENT = 1;

    private String text;

    public TernTextMessage() {
    }

    public TernTextMessage(String text) {
        this.text = text;
    }

    /** @throws jakarta.jms.MessageNotWriteableException when the body is read-only (received) */
    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    public void clearBody() throws JMSException {
        text = null;
        super.clearBody();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        return assign(text, String.class, c);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return text == null || ((Class<?>) c).isAssignableFrom(String.class);
    }

    @Override
    int bodyType() {
        return MessageEnvelope.BODY_TEXT;
    }

    @Override
    byte[] encodeBody() {
        if (text == null) {
            return null;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[utf8.length + 1];
        body[0] = TEXT_PRESENT;
        System.arraycopy(utf8, 0, body, 1, utf8.length);
        return body;
    }

    @Override
    void decodeBody(byte[] body) throws JMSException {
        if (body.length == 0) {
            text = null;
            return;
        }
        if (body[0] != TEXT_PRESENT) {
            throw new JMSException("a TextMessage body starts with " + body[0] + "; expected 1 (text present)");
        }
        text = new String(body, 1, body.length - 1, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String s = super.toString();
        int length = text == null ? -1 : text.length();
        return s.substring(0, s.length() - 1) + ", text " + (length < 0 ? "null" : length + " chars") + "]";
    }
}
