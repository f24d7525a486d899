package io.tern.jms.jndi;

import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.NotContextException;
import javax.naming.OperationNotSupportedException;

/**
 * A flat, read-only JNDI context over a fixed set of bindings.
 *
 * <ul>
 * <li>{@code lookup("")} returns this context; a bound name returns its object; {@code dynamicQueues/NAME} and
 * {@code dynamicTopics/NAME} return a new queue or topic of that physical name; anything else throws
 * {@link NameNotFoundException} naming it.</li>
 * <li>{@code list("")} and {@code listBindings("")} enumerate the bindings.</li>
 * <li>bind, rebind, unbind, rename and sub-context changes throw {@link OperationNotSupportedException}.</li>
 * </ul>
 */
public final class ReadOnlyContext implements Context {
    /** The prefix of names looked up as new queues. */
    public static final String DYNAMIC_QUEUES = "dynamicQueues/";
    /** The prefix of names looked up as new topics. */
    public static final String DYNAMIC_TOPICS = "dynamicTopics/";

    private static final NameParser PARSER = CompositeName::new;

    private final Hashtable<Object, Object> environment;
    private final Map<String, Object> bindings;

    /** A context over {@code bindings} (kept as given; not copied). */
    public ReadOnlyContext(Hashtable<?, ?> environment, Map<String, Object> bindings) {
        this.environment = environment == null ? new Hashtable<>() : new Hashtable<>(environment);
        this.bindings = Collections.unmodifiableMap(bindings);
    }

    @Override
    public Object lookup(String name) throws NamingException {
        if (name == null || name.isEmpty()) {
            return this;
        }
        Object bound = bindings.get(name);
        if (bound != null) {
            return bound;
        }
        if (name.startsWith(DYNAMIC_QUEUES) && name.length() > DYNAMIC_QUEUES.length()) {
            return new TernQueue(name.substring(DYNAMIC_QUEUES.length()));
        }
        if (name.startsWith(DYNAMIC_TOPICS) && name.length() > DYNAMIC_TOPICS.length()) {
            return new TernTopic(name.substring(DYNAMIC_TOPICS.length()));
        }
        NameNotFoundException e = new NameNotFoundException("name '" + name + "' is not bound in this Tern context;"
                + " bound names: " + bindings.keySet());
        e.setRemainingName(new CompositeName(name));
        throw e;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(name.toString());
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
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        checkIsThis(name);
        Iterator<Map.Entry<String, Object>> it = bindings.entrySet().iterator();
        return new Enumeration<>(it, e -> new NameClassPair(e.getKey(), e.getValue().getClass().getName()));
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(name.toString());
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        checkIsThis(name);
        Iterator<Map.Entry<String, Object>> it = bindings.entrySet().iterator();
        return new Enumeration<>(it, e -> new Binding(e.getKey(), e.getValue()));
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(name.toString());
    }

    private void checkIsThis(String name) throws NamingException {
        if (name != null && !name.isEmpty() && !(lookup(name) instanceof Context)) {
            throw new NotContextException("'" + name + "' is not a context");
        }
    }

    @Override
    public void bind(String name, Object obj) throws NamingException {
        throw readOnly("bind", name);
    }

    @Override
    public void bind(Name name, Object obj) throws NamingException {
        throw readOnly("bind", name.toString());
    }

    @Override
    public void rebind(String name, Object obj) throws NamingException {
        throw readOnly("rebind", name);
    }

    @Override
    public void rebind(Name name, Object obj) throws NamingException {
        throw readOnly("rebind", name.toString());
    }

    @Override
    public void unbind(String name) throws NamingException {
        throw readOnly("unbind", name);
    }

    @Override
    public void unbind(Name name) throws NamingException {
        throw readOnly("unbind", name.toString());
    }

    @Override
    public void rename(String oldName, String newName) throws NamingException {
        throw readOnly("rename", oldName);
    }

    @Override
    public void rename(Name oldName, Name newName) throws NamingException {
        throw readOnly("rename", oldName.toString());
    }

    @Override
    public void destroySubcontext(String name) throws NamingException {
        throw readOnly("destroySubcontext", name);
    }

    @Override
    public void destroySubcontext(Name name) throws NamingException {
        throw readOnly("destroySubcontext", name.toString());
    }

    @Override
    public Context createSubcontext(String name) throws NamingException {
        throw readOnly("createSubcontext", name);
    }

    @Override
    public Context createSubcontext(Name name) throws NamingException {
        throw readOnly("createSubcontext", name.toString());
    }

    private static OperationNotSupportedException readOnly(String operation, String name) {
        return new OperationNotSupportedException(operation + "('" + name + "') is not supported: the Tern JNDI"
                + " context is read-only; configure entries in its environment (jndi.properties)");
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
    public String composeName(String name, String prefix) throws NamingException {
        return composeName(new CompositeName(name), new CompositeName(prefix)).toString();
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        return ((Name) prefix.clone()).addAll(name);
    }

    /** Changes this context's environment copy; the bindings, made at creation, do not change. */
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
        // nothing to release
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    /** A NamingEnumeration over bindings, mapping each entry. */
    private static final class Enumeration<T> implements NamingEnumeration<T> {
        private final Iterator<Map.Entry<String, Object>> it;
        private final java.util.function.Function<Map.Entry<String, Object>, T> map;

        Enumeration(Iterator<Map.Entry<String, Object>> it, java.util.function.Function<Map.Entry<String, Object>, T> map) {
            this.it = it;
            this.map = map;
        }

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
            return map.apply(it.next());
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
