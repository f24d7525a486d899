package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The driver JVM: runs one scenario (or one phase of it) against one broker and prints one {@link Result} line for
 * a timed window, or one {@link Figures} line for the others.
 *
 * <pre>
 * java -cp PROVIDER-CLASSPATH io.tern.bench.driver.Driver -scenario ID -port N [-broker-pid PID] [-label NAME]
 *      windows:              [-warmup-ms 3000] [-measure-ms 10000] [-rate MSG_PER_S]
 *      backlog and recovery: -phase fill|drain [-messages 1000000]
 *      footprint:            [-connections 1000] [-settle-ms 1000]   (needs -broker-pid)
 * </pre>
 * {@code -scenario} may list several timed windows ({@code a,b,c}): they run one after the other in this JVM, each
 * printing its own line, or a {@value Result#FAILED} line when it failed. The provider is the one
 * {@link ClientFactory} on the classpath. Exit code 0 when every scenario printed its line, 1 when one failed (the
 * cause on standard error), 2 for a bad command line.
 */
public final class Driver {
    private static final long JOIN_MILLIS = 3_000;

    private Driver() {
    }

    public static void main(String[] args) {
        List<Scenario> scenarios = new ArrayList<>();
        int port;
        long brokerPid;
        double rate;
        try {
            for (String id : required(args, "-scenario").split(",")) {
                scenarios.add(Scenario.byId(id.trim()));
            }
            if (scenarios.size() > 1 && !scenarios.stream().allMatch(Scenario::windowed)) {
                throw new IllegalArgumentException("only timed windows run several to a driver: " + scenarios);
            }
            port = Integer.parseInt(required(args, "-port"));
            brokerPid = Long.parseLong(BrokerConsole.option(args, "-broker-pid", "0"));
            rate = rate(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench driver: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClientFactory client = ServiceLoader.load(ClientFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ClientFactory on the classpath"));
        String label = BrokerConsole.option(args, "-label", client.provider());
        boolean failed = false;
        for (Scenario scenario : scenarios) {
            try {
                ConnectionFactory factory = client.create(port, scenario);
                String line = scenario.windowed()
                        ? run(factory, scenario, label, longOption(args, "-warmup-ms", 3_000),
                                longOption(args, "-measure-ms", 10_000), rate, brokerPid).toLine()
                        : new Figures(scenario.id(), label, figures(factory, scenario, args, brokerPid)).toLine();
                System.out.println(line);
            } catch (Exception e) {
                failed = true;
                System.out.println(Result.FAILED + " scenario=" + scenario.id() + " " + e);
                System.err.println("bench driver: " + scenario.id() + " on " + label + " failed: " + e);
                e.printStackTrace();
            }
            System.out.flush();
        }
        System.exit(failed ? 1 : 0);
    }

    /** The figures of a scenario that is not a timed window. */
    static Map<String, Double> figures(ConnectionFactory factory, Scenario scenario, String[] args, long brokerPid)
            throws Exception {
        switch (scenario.kind()) {
            case BACKLOG:
            case RECOVERY:
                Backlog backlog = new Backlog(scenario, factory, longOption(args, "-messages", 1_000_000));
                String phase = required(args, "-phase");
                if (phase.equals("fill")) {
                    return backlog.fill();
                }
                if (phase.equals("drain")) {
                    return backlog.drain();
                }
                throw new IllegalArgumentException("-phase is fill or drain, not '" + phase + "'");
            case FOOTPRINT:
                return new Footprint(factory, (int) longOption(args, "-connections", 1_000),
                        longOption(args, "-settle-ms", 1_000), brokerPid).measure();
            default:
                throw new IllegalArgumentException(scenario.id() + " is a timed window");
        }
    }

    static Result run(ConnectionFactory factory, Scenario scenario, String label, long warmupMillis,
            long measureMillis, double rate, long brokerPid) throws Exception {
        Window window = new Window();
        List<Connection> connections = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        HostCpu.Usage host;
        try {
            int n = 0;
            for (Runnable worker : Workload.of(scenario, rate).workers(factory, window, connections)) {
                Thread thread = new Thread(worker, "bench-" + scenario.id() + "-" + n++);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            host = window.run(warmupMillis, measureMillis, new HostCpu(brokerPid));
            long deadline = System.currentTimeMillis() + JOIN_MILLIS;
            for (Thread thread : threads) {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
        } finally {
            // Closing also frees a worker blocked in a send the broker holds back (flow control).
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    System.err.println("bench driver: closing a connection failed: " + e);
                }
            }
        }
        if (window.failure() != null) {
            throw new IllegalStateException("a worker failed", window.failure());
        }
        for (Thread thread : threads) {
            thread.join(2_000);
            if (thread.isAlive()) {
                // It can no longer count (the window is over); say so, the figures stand.
                System.err.println("bench driver: " + thread.getName() + " still running after close");
            }
        }
        Window.Tally total = window.total();
        return new Result(scenario.id(), label, total.count, window.measuredSeconds(),
                Window.percentile(total, 50), Window.percentile(total, 99), Window.percentile(total, 99.9),
                Window.max(total), host);
    }

    private static long longOption(String[] args, String name, long fallback) {
        String value = BrokerConsole.option(args, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not '" + value + "'");
        }
    }

    /** {@code -rate}: messages a second the producers send in all; 0 (the default) for as fast as possible. */
    private static double rate(String[] args) {
        String value = BrokerConsole.option(args, "-rate", "0");
        try {
            return Pacer.checkRate(Double.parseDouble(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-rate needs a number of messages a second >= 0, not '" + value + "'");
        }
    }

    private static String required(String[] args, String name) {
        String value = BrokerConsole.option(args, name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
