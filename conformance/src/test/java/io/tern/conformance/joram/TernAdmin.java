package io.tern.conformance.joram;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.destination.TernQueue;
import io.tern.jms.destination.TernTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.stream.Stream;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.objectweb.jtests.jms.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JORAM's hook into Tern, named in {@code provider.properties} ({@code jms.provider.admin.class}). JORAM's
 * {@code AdminFactory} makes a new instance for every test, so the broker and the namespace are static: one broker
 * in this JVM at a time, started by {@link #startServer()} in each test's setUp and stopped by {@link #stopServer()} in
 * its tearDown. Connection factories and destinations are bound in the {@link WritableContextFactory} namespace.
 *
 * <p>The factories connect over TCP to the broker's ephemeral port, as an application would; set the system property
 * {@code conformance.transport=vm} to use the in-JVM transport instead.
 */
public final class TernAdmin implements Admin {
    private static final Logger LOG = LoggerFactory.getLogger(TernAdmin.class);
    private static final String BROKER_NAME = "tern-joram";
    private static final Object LOCK = new Object();

    private static Broker broker;
    private static Path dataDir;

    @Override
    public String getName() {
        return "Tern";
    }

    @Override
    public Context createContext() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, WritableContextFactory.class.getName());
        return new InitialContext(env);
    }

    @Override
    public void createConnectionFactory(String name) {
        bind(name, new TernConnectionFactory(brokerUrl()));
    }

    @Override
    public void createQueueConnectionFactory(String name) {
        createConnectionFactory(name);
    }

    @Override
    public void createTopicConnectionFactory(String name) {
        createConnectionFactory(name);
    }

    @Override
    public void createQueue(String name) {
        running().createQueue(name);
        bind(name, new TernQueue(name));
    }

    @Override
    public void createTopic(String name) {
        running().createTopic(name);
        bind(name, new TernTopic(name));
    }

    /** Unbinds the queue. The broker cannot delete destinations yet; each test gets a new in-memory broker anyway. */
    @Override
    public void deleteQueue(String name) {
        unbind(name);
    }

    /** Unbinds the topic; see {@link #deleteQueue}. */
    @Override
    public void deleteTopic(String name) {
        unbind(name);
    }

    @Override
    public void deleteConnectionFactory(String name) {
        unbind(name);
    }

    @Override
    public void deleteQueueConnectionFactory(String name) {
        unbind(name);
    }

    @Override
    public void deleteTopicConnectionFactory(String name) {
        unbind(name);
    }

    /**
     * Starts a fresh broker with an in-memory store and an ephemeral port. A broker still running here was left by a
     * test whose setUp failed (JUnit 3 skips tearDown then): it is stopped first, so one failure does not spill into
     * the next test.
     */
    @Override
    public void startServer() throws IOException {
        synchronized (LOCK) {
            if (broker != null) {
                LOG.warn("TERN-T0001 stopping broker '{}' left running by a failed test", BROKER_NAME);
                stopBroker();
            }
            dataDir = Files.createTempDirectory("tern-joram-");
            Broker started = new Broker(BrokerConfig.builder().name(BROKER_NAME).host("127.0.0.1").port(0)
                    .dataDir(dataDir).store("memory").build());
            started.start();
            broker = started;
        }
    }

    @Override
    public void stopServer() {
        synchronized (LOCK) {
            stopBroker();
        }
    }

    /** Nothing to connect: the harness administers the broker in-process. */
    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    /** The running broker, or null: for the harness's own tests. */
    static Broker currentBroker() {
        synchronized (LOCK) {
            return broker;
        }
    }

    private static void stopBroker() {
        if (broker == null) {
            return;
        }
        try {
            broker.stop();
        } finally {
            broker = null;
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    private static Broker running() {
        synchronized (LOCK) {
            if (broker == null) {
                throw new IllegalStateException("no Tern broker is running: startServer() was not called");
            }
            return broker;
        }
    }

    private static String brokerUrl() {
        Broker b = running();
        if ("vm".equals(System.getProperty("conformance.transport"))) {
            return "vm://" + b.config().vmName() + "?create=false";
        }
        return "tcp://127.0.0.1:" + b.port();
    }

    private static void bind(String name, Object value) {
        // rebind: a test whose setUp failed never reached the tearDown that unbinds its objects.
        try {
            new WritableContextFactory().getInitialContext(null).rebind(name, value);
        } catch (NamingException e) {
            throw new IllegalStateException("cannot bind '" + name + "'", e);
        }
    }

    private static void unbind(String name) {
        try {
            new WritableContextFactory().getInitialContext(null).unbind(name);
        } catch (NamingException e) {
            throw new IllegalStateException("cannot unbind '" + name + "'", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
