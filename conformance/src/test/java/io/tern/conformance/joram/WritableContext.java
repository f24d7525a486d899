package io.tern.conformance.joram;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameAlreadyBoundException;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;

/**
 * A flat, writable JNDI namespace for the conformance harness: every context made by {@link WritableContextFactory}
 * sees the same bindings, so what {@link TernAdmin} binds is what the JORAM tests look up. Tern's own
 * {@code io.tern.jms.jndi.ReadOnlyContext} stays read-only; this one exists only for the harness.
 * Subcontexts and links are not supported: JORAM names are single components such as {@code testQCF}.
 */
final class WritableContext implements Context {
    private static final NameParser PARSER = CompositeName::new;

    private final Map<String, Object> bindings;
    private final Hashtable<Object, Object> environment;

    WritableContext(Map<String, Object> bindings, Hashtable<?, ?> environment) {
        this.bindings = bindings;
        this.environment = environment == null ? new Hashtable<>() : new Hashtable<>(environment);
    }

    /** A namespace of its own, with nothing bound. */
    static WritableContext empty() {
        return new WritableContext(new ConcurrentHashMap<>(), null);
    }

    @Override
    public Object lookup(String name) throws NamingException {
        if (name.isEmpty()) {
            return new WritableContext(bindings, environment);
        }
        Object value = bindings.get(name);
        if (value == null) {
            throw new NameNotFoundException("nothing is bound to '" + name + "'");
        }
        return value;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(name.toString());
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        requireName(name);
        if (bindings.putIfAbsent(name, obj) != null) {
            throw new NameAlreadyBoundException("'" + name + "' is already bound");
        }
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        bind(name.toString(), obj);
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        requireName(name);
        bindings.put(name, obj);
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        rebind(name.toString(), obj);
    }

    /** Removes the binding; unbinding a name that is not bound succeeds, as {@link Context#unbind} requires. */
    @Override
    public void unbind(String name) throws NamingException {
        requireName(name);
        bindings.remove(name);
    }

    @Override
    public void unbind(Name name) throws NamingException {
        unbind(name.toString());
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        Object value = lookup(oldName);
        bind(newName, value);
        bindings.remove(oldName, value);
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        rename(oldName.toString(), newName.toString());
    }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        requireRoot(name);
        return snapshot(e -> new NameClassPair(e.getKey(), e.getValue().getClass().getName()));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(name.toString());
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        requireRoot(name);
        return snapshot(e -> new Binding(e.getKey(), e.getValue()));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(name.toString());
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw new OperationNotSupportedException("the harness namespace has no subcontexts");
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        destroySubcontext(name.toString());
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw new OperationNotSupportedException("the harness namespace has no subcontexts");
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        return createSubcontext(name.toString());
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    @Override
    public NameParser getNameParser(String name) {
        return PARSER;
    }

    @Override
    public NameParser getNameParser(Name name) {
        return PARSER;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        return ((Name) prefix.clone()).addAll(name);
    }

    @Override
    public String composeName(String name, String prefix) throws NamingException {
        return composeName(new CompositeName(name), new CompositeName(prefix)).toString();
    }

    @Override
    public Object addToEnvironment(String propName, Object propVal) {
        return environment.put(propName, propVal);
    }

    @Override
    public Object removeFromEnvironment(String propName) {
        return environment.remove(propName);
    }

    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    @Override
    public void close() {
        // The bindings belong to the namespace, not to this handle on it.
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    private static void requireName(String name) throws NamingException {
        if (name == null || name.isEmpty()) {
            throw new NamingException("an empty name cannot be bound or unbound");
        }
    }

    private static void requireRoot(String name) throws NamingException {
        if (!name.isEmpty()) {
            throw new NameNotFoundException("'" + name + "' is not a context; only \"\" can be listed");
        }
    }

    private <T> NamingEnumeration<T> snapshot(Function<Map.Entry<String, Object>, T> convert) {
        List<T> items = new ArrayList<>();
        bindings.entrySet().forEach(e -> items.add(convert.apply(e)));
        Iterator<T> it = items.iterator();
        return new NamingEnumeration<>() {
            @Override
            public T next() {
                return nextElement();
            }

            @Override
            public boolean hasMore() {
                return it.hasNext();
            }

            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public T nextElement() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
