package io.tern.jms.jndi;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.destination.TernDestination;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTemporaryQueue;
import io.tern.jms.destination.TernTemporaryTopic;
import io.tern.jms.destination.TernTopic;
import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NamingException;
import javax.naming.RefAddr;
import javax.naming.Reference;
import javax.naming.spi.ObjectFactory;

/**
 * Rebuilds Tern objects from the {@link Reference}s they bind into JNDI: {@link TernConnectionFactory} (addresses
 * {@code brokerURL}, {@code user}, {@code password}, {@code clientID}) and the destinations (address
 * {@code physicalName}; temporary ones come back without an owning connection). Anything else yields null, as the
 * {@link ObjectFactory} contract asks, so JNDI can try other factories.
 */
public class TernObjectFactory implements ObjectFactory {

    @Override
    public Object getObjectInstance(Object obj, Name name, Context nameCtx, Hashtable<?, ?> environment)
            throws NamingException {
        if (!(obj instanceof Reference ref)) {
            return null;
        }
        String className = ref.getClassName();
        boolean xa = TernXAConnectionFactory.class.getName().equals(className);
        if (xa || TernConnectionFactory.class.getName().equals(className)) {
            String url = required(ref, TernConnectionFactory.REF_BROKER_URL);
            TernConnectionFactory factory = xa ? new TernXAConnectionFactory(url) : new TernConnectionFactory(url);
            factory.setUser(optional(ref, TernConnectionFactory.REF_USER));
            factory.setPassword(optional(ref, TernConnectionFactory.REF_PASSWORD));
            factory.setClientID(optional(ref, TernConnectionFactory.REF_CLIENT_ID));
            return factory;
        }
        if (TernQueue.class.getName().equals(className)) {
            return new TernQueue(required(ref, TernDestination.REF_NAME));
        }
        if (TernTopic.class.getName().equals(className)) {
            return new TernTopic(required(ref, TernDestination.REF_NAME));
        }
        if (TernTemporaryQueue.class.getName().equals(className)) {
            return new TernTemporaryQueue(required(ref, TernDestination.REF_NAME), null);
        }
        if (TernTemporaryTopic.class.getName().equals(className)) {
            return new TernTemporaryTopic(required(ref, TernDestination.REF_NAME), null);
        }
        return null;
    }

    private static String required(Reference ref, String address) throws NamingException {
        String value = optional(ref, address);
        if (value == null) {
            throw new NamingException("reference to a " + ref.getClassName() + " has no '" + address + "' address");
        }
        return value;
    }

    private static String optional(Reference ref, String address) {
        RefAddr addr = ref.get(address);
        return addr == null || addr.getContent() == null ? null : addr.getContent().toString();
    }
}
