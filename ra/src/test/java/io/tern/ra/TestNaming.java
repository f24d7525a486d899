package io.tern.ra;

import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import javax.naming.spi.NamingManager;

/**
 * A flat JNDI namespace for the tests, installed as the JVM's initial context factory (what a server's naming
 * service is to the adapter): {@link #bind} a name, and {@code new InitialContext().lookup(name)} finds it.
 */
final class TestNaming implements InitialContextFactory {
    private static final Map<String, Object> NAMES = new ConcurrentHashMap<>();

    static {
        try {
            NamingManager.setInitialContextFactoryBuilder(env -> new TestNaming());
        } catch (NamingException | IllegalStateException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void bind(String name, Object value) {
        NAMES.put(name, value);
    }

    static void unbind(String name) {
        NAMES.remove(name);
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        return new InitialContext(true) {
            @Override
            public Object lookup(String name) throws NamingException {
                Object o = NAMES.get(name);
                if (o == null) {
                    throw new NameNotFoundException(name + " is not bound");
                }
                return o;
            }
        };
    }
}
