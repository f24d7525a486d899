package io.tern.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * Java serialization of ObjectMessage bodies. Deserialization admits only {@link TrustedPackages} and resolves classes
 * with the thread context class loader, falling back to this library's loader.
 */
final class ObjectBodies {
    private ObjectBodies() {
    }

    /** @throws MessageFormatException when the object (or something it holds) cannot be serialized */
    static byte[] serialize(Serializable object) throws JMSException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw MessageExceptions.format("cannot serialize the ObjectMessage body, a "
                    + object.getClass().getName() + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws MessageFormatException naming the class and {@value TrustedPackages#PROPERTY} when a class is not
     *                                trusted, or naming the cause when the bytes cannot be deserialized
     */
    static Serializable deserialize(byte[] bytes) throws JMSException {
        TrustedPackages trusted = TrustedPackages.fromSystemProperty();
        try (ObjectInputStream in = new ContextLoaderInput(new ByteArrayInputStream(bytes), trusted)) {
            Object object = in.readObject();
            if (object != null && !(object instanceof Serializable)) {
                throw new MessageFormatException("the ObjectMessage body is a " + object.getClass().getName()
                        + ", which is not Serializable");
            }
            return (Serializable) object;
        } catch (InvalidClassException e) {
            if (trusted.refused() != null) {
                throw MessageExceptions.format(trusted.refusal(trusted.refused()), e);
            }
            throw MessageExceptions.format("cannot deserialize the ObjectMessage body: " + e, e);
        } catch (IOException | ClassNotFoundException e) {
            throw MessageExceptions.format("cannot deserialize the ObjectMessage body: " + e, e);
        }
    }

    private static final class ContextLoaderInput extends ObjectInputStream {
        ContextLoaderInput(InputStream in, TrustedPackages trusted) throws IOException {
            super(in);
            setObjectInputFilter(trusted);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException e) {
                    // fall back to this library's loader below
                }
            }
            try {
                return Class.forName(desc.getName(), false, ObjectBodies.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
