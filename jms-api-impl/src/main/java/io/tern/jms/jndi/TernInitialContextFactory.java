package io.tern.jms.jndi;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * Builds a {@link ReadOnlyContext} from the JNDI environment, with the keys ActiveMQ users know:
 *
 * <pre>
 * java.naming.factory.initial = io.tern.jms.jndi.TernInitialContextFactory
 * java.naming.provider.url    = tcp://host:61616     (the default factories' broker URL; default tcp://127.0.0.1:61616)
 * connectionFactoryNames      = ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory   (the default)
 * connectionFactory.NAME      = brokerURL            (a factory with its own URL)
 *                               (a factory whose NAME starts with XA is a TernXAConnectionFactory)
 * queue.NAME                  = physicalName
 * topic.NAME                  = physicalName
 * java.naming.security.principal / credentials       (user and password of every factory)
 * </pre>
 * Every entry is created when the context is. A name defined twice is refused with a {@link ConfigurationException}
 * naming it. {@code dynamicQueues/NAME} and {@code dynamicTopics/NAME} look up new destinations without configuration.
 * Other keys are left alone: the environment also carries the JDK's own {@code java.naming.*} settings.
 */
public class TernInitialContextFactory implements InitialContextFactory {
    /** The comma list of names bound to factories using {@code java.naming.provider.url}. */
    public static final String CONNECTION_FACTORY_NAMES = "connectionFactoryNames";
    /** The default of {@value #CONNECTION_FACTORY_NAMES}. */
    public static final String DEFAULT_CONNECTION_FACTORY_NAMES =
            "ConnectionFactory,QueueConnectionFactory,TopicConnectionFactory";
    /** The prefix of keys binding a factory with its own broker URL. */
    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    /** The prefix of keys binding a queue. */
    public static final String QUEUE_PREFIX = "queue.";
    /** The prefix of keys binding a topic. */
    public static final String TOPIC_PREFIX = "topic.";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<?, ?> env = environment == null ? new Hashtable<>() : environment;
        Map<String, Object> bindings = new LinkedHashMap<>();
        String defaultUrl = string(env, Context.PROVIDER_URL, TernConnectionFactory.DEFAULT_BROKER_URL);
        for (String name : string(env, CONNECTION_FACTORY_NAMES, DEFAULT_CONNECTION_FACTORY_NAMES).split(",")) {
            if (!name.isBlank()) {
                bind(bindings, name.trim(), factory(env, name.trim(), defaultUrl));
            }
        }
        for (Map.Entry<?, ?> e : env.entrySet()) {
            String key = String.valueOf(e.getKey());
            String value = String.valueOf(e.getValue()).trim();
            if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                String factoryName = name(key, CONNECTION_FACTORY_PREFIX);
                bind(bindings, factoryName, factory(env, factoryName, value));
            } else if (key.startsWith(QUEUE_PREFIX)) {
                bind(bindings, name(key, QUEUE_PREFIX), new TernQueue(physical(key, value)));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                bind(bindings, name(key, TOPIC_PREFIX), new TernTopic(physical(key, value)));
            }
        }
        return new ReadOnlyContext(env, bindings);
    }

    /** A factory whose name starts with {@code XA} is an XA factory (it is a plain one as well). */
    private static TernConnectionFactory factory(Hashtable<?, ?> env, String name, String brokerUrl) {
        TernConnectionFactory factory = name.startsWith("XA") ? new TernXAConnectionFactory(brokerUrl)
                : new TernConnectionFactory(brokerUrl);
        factory.setUser(string(env, Context.SECURITY_PRINCIPAL, null));
        factory.setPassword(string(env, Context.SECURITY_CREDENTIALS, null));
        return factory;
    }

    private static void bind(Map<String, Object> bindings, String name, Object object) throws ConfigurationException {
        Object previous = bindings.putIfAbsent(name, object);
        if (previous != null) {
            throw new ConfigurationException("JNDI name '" + name + "' is defined twice: as " + previous + " and as "
                    + object);
        }
    }

    private static String name(String key, String prefix) throws ConfigurationException {
        String name = key.substring(prefix.length());
        if (name.isEmpty()) {
            throw new ConfigurationException("JNDI environment key '" + key + "' has no name after the prefix");
        }
        return name;
    }

    private static String physical(String key, String value) throws ConfigurationException {
        if (value.isEmpty()) {
            throw new ConfigurationException("JNDI environment key '" + key + "' has an empty physical name");
        }
        return value;
    }

    private static String string(Hashtable<?, ?> env, String key, String defaultValue) {
        Object value = env.get(key);
        return value == null ? defaultValue : value.toString().trim();
    }
}
