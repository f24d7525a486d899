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
 * the JVM is asked to stop (Ctrl-C, SIGTERM), then stops the broker cleanly.
 *
 * <p>Exit codes: 0 after {@code --help} or a clean stop, 1 when the broker cannot start (bad configuration,
 * port in use), 2 for a bad command line.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

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
    private Broker broker;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws InterruptedException {
        Main main = new Main(System.out, System.err);
        int code = main.start(args, System.getProperties(), System.getenv());
        if (main.broker == null) {
            System.exit(code);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(main::stop, "tern-shutdown"));
        main.stopped.await();
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
        Broker candidate = new Broker(config);
        try {
            candidate.start();
        } catch (BrokerException e) {
            err.println("Tern broker '" + config.name() + "' did not start: " + e.getMessage());
            return FAILED;
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
        if (broker != null) {
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
