package io.tern.jms.jndi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTemporaryQueue;
import io.tern.jms.destination.TernTemporaryTopic;
import io.tern.jms.destination.TernTopic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Binding;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;
import javax.naming.Reference;
import javax.naming.Referenceable;
import javax.naming.StringRefAddr;
import org.junit.jupiter.api.Test;

class JndiTest {

    @Test
    void jndiPropertiesOnTheClasspathConfiguresNewInitialContext() throws NamingException {
        InitialContext ctx = new InitialContext();
        try {
            TernConnectionFactory cf = (TernConnectionFactory) ctx.lookup("ConnectionFactory");
            assertThat(cf.getBrokerURL()).isEqualTo("tcp://broker.example:61617");
            assertThat(ctx.lookup("XAConnectionFactory")).isInstanceOf(jakarta.jms.XAConnectionFactory.class);
            assertThat(cf).isNotInstanceOf(jakarta.jms.XAConnectionFactory.class);
            assertThat(((TernConnectionFactory) ctx.lookup("XAConnectionFactory")).getBrokerURL())
                    .isEqualTo("tcp://broker.example:61617");
            assertThat(((TernConnectionFactory) ctx.lookup("LocalFactory")).getBrokerURL()).isEqualTo("vm://embedded");
            assertThatThrownBy(() -> ctx.lookup("QueueConnectionFactory")).isInstanceOf(NameNotFoundException.class);
            assertThat(ctx.lookup("Orders")).isEqualTo(new TernQueue("orders.incoming"));
            assertThat(ctx.lookup("Prices")).isEqualTo(new TernTopic("market.prices"));
            assertThat(ctx.lookup("dynamicQueues/any.queue")).isEqualTo(new TernQueue("any.queue"));
            assertThat(ctx.lookup("dynamicTopics/any.topic")).isEqualTo(new TernTopic("any.topic"));
            assertThat(ctx.lookup("")).isInstanceOf(Context.class);
        } finally {
            ctx.close();
        }
    }

    @Test
    void defaultsAndCredentialsFromAnExplicitEnvironment() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TernInitialContextFactory.class.getName());
        env.put(Context.SECURITY_PRINCIPAL, "alice");
        env.put(Context.SECURITY_CREDENTIALS, "secret");
        env.put("queue.jms/Q", "q1");
        // straight to the factory: InitialContext would merge in the test classpath's jndi.properties
        Context ctx = new TernInitialContextFactory().getInitialContext(env);
        for (String name : List.of("ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory")) {
            TernConnectionFactory cf = (TernConnectionFactory) ctx.lookup(name);
            assertThat(cf.getBrokerURL()).isEqualTo("tcp://127.0.0.1:61616");
            assertThat(cf.getUser()).isEqualTo("alice");
            assertThat(cf.getPassword()).isEqualTo("secret");
        }
        assertThat(ctx.lookup("jms/Q")).isEqualTo(new TernQueue("q1"));
    }

    @Test
    void anExplicitEnvironmentOverridesJndiProperties() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.PROVIDER_URL, "tcp://other:1");
        Context ctx = new InitialContext(env);
        assertThat(((TernConnectionFactory) ctx.lookup("ConnectionFactory")).getBrokerURL()).isEqualTo("tcp://other:1");
        assertThat(ctx.lookup("Orders")).isEqualTo(new TernQueue("orders.incoming"));
    }

    @Test
    void missingNamesAndBindingAreRefused() throws NamingException {
        Context ctx = new TernInitialContextFactory().getInitialContext(new Hashtable<>());
        assertThatThrownBy(() -> ctx.lookup("nope")).isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> ctx.lookup("dynamicQueues/")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> ctx.bind("x", "y")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.rebind("ConnectionFactory", "y"))
                .isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.unbind("ConnectionFactory")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.rename("ConnectionFactory", "b"))
                .isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.createSubcontext("sub")).isInstanceOf(OperationNotSupportedException.class);
        assertThat(ctx.lookup("ConnectionFactory")).isInstanceOf(TernConnectionFactory.class);
    }

    @Test
    void aNameDefinedTwiceIsAConfigurationError() {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put("queue.X", "a");
        env.put("topic.X", "b");
        assertThatThrownBy(() -> new TernInitialContextFactory().getInitialContext(env))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'X'");
    }

    @Test
    void listAndListBindingsEnumerateTheEntries() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put("connectionFactoryNames", "CF");
        env.put("topic.T", "t");
        Context ctx = new TernInitialContextFactory().getInitialContext(env);
        List<String> names = new ArrayList<>();
        NamingEnumeration<NameClassPair> list = ctx.list("");
        while (list.hasMore()) {
            NameClassPair pair = list.next();
            names.add(pair.getName() + "=" + pair.getClassName());
        }
        assertThat(names).containsExactly("CF=" + TernConnectionFactory.class.getName(),
                "T=" + TernTopic.class.getName());
        NamingEnumeration<Binding> bindings = ctx.listBindings("");
        List<Object> objects = new ArrayList<>();
        while (bindings.hasMore()) {
            objects.add(bindings.next().getObject());
        }
        assertThat(objects).hasSize(2).contains(new TernTopic("t"));
    }

    @Test
    void referencesRebuildFactoriesAndDestinations() throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory("tcp://h:1");
        cf.setUser("u");
        cf.setPassword("p");
        cf.setClientID("c");
        TernConnectionFactory rebuilt = (TernConnectionFactory) fromReference(cf);
        assertThat(rebuilt.getBrokerURL()).isEqualTo("tcp://h:1");
        assertThat(rebuilt.getUser()).isEqualTo("u");
        assertThat(rebuilt.getPassword()).isEqualTo("p");
        assertThat(rebuilt.getClientID()).isEqualTo("c");

        assertThat(fromReference(new io.tern.jms.client.TernXAConnectionFactory("vm://xa")))
                .isExactlyInstanceOf(io.tern.jms.client.TernXAConnectionFactory.class);

        TernConnectionFactory plain = (TernConnectionFactory) fromReference(new TernConnectionFactory("vm://x"));
        assertThat(plain.getBrokerURL()).isEqualTo("vm://x");
        assertThat(plain.getUser()).isNull();

        assertThat(fromReference(new TernQueue("q"))).isEqualTo(new TernQueue("q")).isExactlyInstanceOf(TernQueue.class);
        assertThat(fromReference(new TernTopic("t"))).isEqualTo(new TernTopic("t")).isExactlyInstanceOf(TernTopic.class);
        assertThat(fromReference(new TernTemporaryQueue("tq", null))).isInstanceOf(TernTemporaryQueue.class);
        assertThat(fromReference(new TernTemporaryTopic("tt", null))).isInstanceOf(TernTemporaryTopic.class);
    }

    @Test
    void objectFactoryIgnoresOtherReferencesAndRefusesIncompleteOnes() throws Exception {
        TernObjectFactory factory = new TernObjectFactory();
        assertThat(factory.getObjectInstance("not a reference", null, null, null)).isNull();
        assertThat(factory.getObjectInstance(new Reference("com.acme.Thing"), null, null, null)).isNull();
        Reference noName = new Reference(TernQueue.class.getName(), TernObjectFactory.class.getName(), null);
        assertThatThrownBy(() -> factory.getObjectInstance(noName, null, null, null))
                .isInstanceOf(NamingException.class).hasMessageContaining("physicalName");
        Reference withName = new Reference(TernQueue.class.getName(), TernObjectFactory.class.getName(), null);
        withName.add(new StringRefAddr("physicalName", "q"));
        assertThat(factory.getObjectInstance(withName, null, null, null)).isEqualTo(new TernQueue("q"));
    }

    @Test
    void factoriesAndDestinationsSurviveSerialization() throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory("tcp://h:2");
        cf.setUser("u");
        cf.setClientID("c");
        TernConnectionFactory back = roundTrip(cf);
        assertThat(back.getBrokerURL()).isEqualTo("tcp://h:2");
        assertThat(back.getUser()).isEqualTo("u");
        assertThat(back.getClientID()).isEqualTo("c");
        assertThat(roundTrip(new TernQueue("q"))).isEqualTo(new TernQueue("q"));
        assertThat(roundTrip(new TernTopic("t"))).isEqualTo(new TernTopic("t"));
        assertThat(roundTrip(new TernTemporaryQueue("tq", null))).isEqualTo(new TernTemporaryQueue("tq", null));
    }

    private static Object fromReference(Referenceable object) throws Exception {
        Reference ref = object.getReference();
        assertThat(ref.getFactoryClassName()).isEqualTo(TernObjectFactory.class.getName());
        return new TernObjectFactory().getObjectInstance(ref, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
