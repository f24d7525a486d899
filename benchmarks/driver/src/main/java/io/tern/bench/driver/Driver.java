package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The driver JVM: runs one scenario against one broker and prints one {@link Result} line.
 *
 * <pre>
 * java -cp PROVIDER-CLASSPATH io.tern.bench.driver.Driver -scenario ID -port N
 *      [-warmup-ms 3000] [-measure-ms 10000] [-broker-pid PID] [-label NAME]
 * </pre>
 * The provider is the one {@link ClientFactory} on the classpath. Exit code 0 with a result line, 1 when the run
 * failed (the cause on standard error), 2 for a bad command line.
 */
public final class Driver {
    private static final long JOIN_MILLIS = 3_000;

    private Driver() {
    }

    public static void main(String[] args) {
        Scenario scenario;
        int port;
        long warmup;
        long measure;
        long brokerPid;
        try {
            scenario = Scenario.byId(required(args, "-scenario"));
            port = Integer.parseInt(required(args, "-port"));
            warmup = Long.parseLong(BrokerConsole.option(args, "-warmup-ms", "3000"));
            measure = Long.parseLong(BrokerConsole.option(args, "-measure-ms", "10000"));
            brokerPid = Long.parseLong(BrokerConsole.option(args, "-broker-pid", "0"));
        } catch (IllegalArgumentException e) {
            System.err.println("bench driver: " + e.getMessage());
            System.exit(2);
            return;
        }
        ClientFactory client = ServiceLoader.load(ClientFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no ClientFactory on the classpath"));
        String label = BrokerConsole.option(args, "-label", client.provider());
        try {
            Result result = run(client.create(port, scenario), scenario, label, warmup, measure, brokerPid);
            System.out.println(result.toLine());
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("bench driver: " + scenario.id() + " on " + label + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Result run(ConnectionFactory factory, Scenario scenario, String label, long warmupMillis,
            long measureMillis, long brokerPid) throws Exception {
        Window window = new Window();
        List<Connection> connections = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        HostCpu.Usage host;
        try {
            int n = 0;
            for (Runnable worker : Workload.of(scenario).workers(factory, window, connections)) {
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

    private static String required(String[] args, String name) {
        String value = BrokerConsole.option(args, name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
