package io.tern.broker.launcher;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerException;
import io.tern.broker.config.ConfigException;
import io.tern.broker.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone broker: {@code ./tern broker [--config FILE] [--port N] ...}. Prints one ready line, runs until
 * the JVM is asked to stop (Ctrl-C, SIGTERM), then stops the broker cleanly. While another broker holds the
 * store (a shared journal directory or database) it prints one standby line and waits; the ready line follows when
 * it becomes active.
 *
 * <p>Exit codes: 0 after {@code --help} or a clean stop, 1 when the broker cannot start (bad configuration,
 * port in use, store locked with {@code ha.standby=false}), 2 for a bad command line, 3 when the broker lost its
 * store's lock while active (it stopped serving at once; run it again, under a supervisor, to come back as a
 * standby).
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int LOCK_LOST = 3;

    private static final Map<String, String> FLAGS = Map.of("--port", "port", "--data-dir", "data-dir",
            "--host", "host", "--name", "name");

    static final String USAGE_TEXT = """
            Usage: tern broker [options]
              --config FILE     read settings from a properties file (see conf/tern.properties)
              --port N          TCP port (default 61616; 0 picks a free port)
              --host H          interface to bind (default 127.0.0.1)
              --data-dir DIR    where stores keep their files (default ./data)
              --name N          the broker's name (default localhost)
              --help            print this help
            Settings also come from system properties (tern.port) and environment variables (TERN_PORT);
            flags win over system properties, which win over the environment, which wins over the file.""";

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Broker broker;
    private volatile Broker starting;
    private volatile int exitCode = OK;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws InterruptedException {
        Main main = new Main(System.out, System.err);
        // before start: a standby waits inside start, and Ctrl-C must end its wait
        Thread hook = new Thread(main::stop, "tern-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = main.start(args, System.getProperties(), System.getenv());
        if (main.broker == null) {
            removeHook(hook);
            System.exit(code);
        }
        main.stopped.await();
        if (main.exitCode != OK) {
            removeHook(hook);
            System.exit(main.exitCode);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping already
        }
    }

    /** Parses the command line and starts the broker; returns the exit code when there is nothing to run. */
    int start(String[] args, Properties system, Map<String, String> env) {
        Map<String, String> flags = new LinkedHashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE_TEXT);
                return OK;
            }
            if (!arg.equals("--config") && !FLAGS.containsKey(arg)) {
                return usage("unknown option '" + arg + "'");
            }
            if (i + 1 >= args.length) {
                return usage("option " + arg + " needs a value");
            }
            String value = args[++i];
            if (arg.equals("--config")) {
                configFile = Path.of(value);
            } else {
                flags.put(FLAGS.get(arg), value);
            }
        }
        BrokerConfig config;
        try {
            config = ConfigLoader.load(flags, configFile, system, env);
        } catch (ConfigException e) {
            err.println("Tern broker: " + e.getMessage());
            return FAILED;
        }
        Broker candidate = new Broker(config).listener(new Broker.Listener() {
            @Override
            public void standby(String holder) {
                out.println("Tern broker '" + config.name() + "' is a STANDBY: waiting for the store lock held by "
                        + holder + "; it becomes active when that lock is free");
                out.flush();
            }

            @Override
            public void lockLost(String reason) {
                err.println("Tern broker '" + config.name() + "' lost the store lock and stopped serving: " + reason);
                err.flush();
                exitCode = LOCK_LOST;
                stopped.countDown();
            }
        });
        starting = candidate;
        try {
            candidate.start();
        } catch (BrokerException e) {
            err.println("Tern broker '" + config.name() + "' did not start: " + e.getMessage());
            return FAILED;
        } finally {
            starting = null;
        }
        if (!candidate.isStarted()) {
            out.println("Tern broker '" + config.name() + "' stopped while standby");
            return OK;
        }
        broker = candidate;
        out.println("Tern broker '" + config.name() + "' ready on " + endpoint(config) + " (store: "
                + broker.storeKind() + ", data: " + config.dataDir() + ")");
        return OK;
    }

    private String endpoint(BrokerConfig config) {
        return config.tcpEnabled() ? "tcp://" + config.host() + ":" + broker.port() : "vm://" + config.vmName();
    }

    /** Stops the broker and prints the stop line; the shutdown hook calls it. */
    void stop() {
        Broker waiting = starting;
        if (waiting != null) {
            waiting.stop();
        }
        if (broker != null && broker.isStarted()) {
            broker.stop();
            out.println("Tern broker '" + broker.config().name() + "' stopped cleanly");
            out.flush();
        }
        stopped.countDown();
    }

    Broker broker() {
        return broker;
    }

    private int usage(String problem) {
        err.println("tern broker: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
