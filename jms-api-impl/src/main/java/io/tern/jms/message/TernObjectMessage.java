package io.tern.jms.message;

import io.tern.jms.wire.MessageEnvelope;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import java.io.Serializable;

/**
 * A message whose body is one Serializable object, kept serialized: {@link #setObject} takes a snapshot, and
 * {@link #getObject()} returns a new copy each time.
 *
 * <p>Deserialization admits only trusted classes: see {@value #TRUSTED_PACKAGES_PROPERTY} (default
 * {@value TrustedPackages#DEFAULT}). An untrusted class is refused with a {@link MessageFormatException} naming it and
 * the property. Wire body: empty for null, else the Java serialization of the object.
 */
public class TernObjectMessage extends TernMessage implements ObjectMessage {
    /** The system property listing trusted package prefixes (comma list, {@code *} trusts everything). */
    public static final String TRUSTED_PACKAGES_PROPERTY = TrustedPackages.PROPERTY;

    /** The serialized object, or null for none. */
    private byte[] serialized;

    public TernObjectMessage() {
    }

    /**
     * Serializes {@code object} now (null clears the body).
     *
     * @throws MessageFormatException when it cannot be serialized
     * @throws jakarta.jms.MessageNotWriteableException when the body is read-only
     */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = object == null ? null : ObjectBodies.serialize(object);
    }

    /**
     * A new deserialized copy of the body, or null.
     *
     * @throws MessageFormatException when a class is not trusted or the bytes cannot be deserialized
     */
    @Override
    public Serializable getObject() throws JMSException {
        return serialized == null ? null : ObjectBodies.deserialize(serialized);
    }

    @Override
    public void clearBody() throws JMSException {
        serialized = null;
        super.clearBody();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Serializable object = getObject();
        return object == null ? null : assign(object, object.getClass(), c);
    }

    /** True without a body; false when the body cannot be deserialized; else whether it is assignable. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        if (serialized == null) {
            return true;
        }
        try {
            return c.isInstance(ObjectBodies.deserialize(serialized));
        } catch (JMSException e) {
            return false;
        }
    }

    @Override
    int bodyType() {
        return MessageEnvelope.BODY_OBJECT;
    }

    @Override
    byte[] encodeBody() {
        return serialized;
    }

    @Override
    void decodeBody(byte[] body) {
        serialized = body.length == 0 ? null : body;
    }
}
