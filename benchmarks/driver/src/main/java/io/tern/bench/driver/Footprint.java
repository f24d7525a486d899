package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The broker's memory idle and with many idle connections, read from {@code /proc/BROKER-PID/status} (VmRSS): after
 * a pause, the idle RSS; then N JMS connections are opened and started (no session, nothing sent), and after the
 * same pause the RSS again. The cost of a connection is the difference over N. That first figure includes what the
 * broker pays once for its first connections (code compiled, classes loaded, heap pages first touched by the garbage
 * of connecting), so with those N still open, N more are opened and their difference over N is the cost of a
 * connection to a warm broker. A few threads open and close them, as connecting is mostly waiting for round trips. The broker's start time is the runner's to measure.
 */
final class Footprint {
    private static final int THREADS = 4;

    private final ConnectionFactory factory;
    private final int connections;
    private final long settleMillis;
    private final long brokerPid;

    Footprint(ConnectionFactory factory, int connections, long settleMillis, long brokerPid) {
        if (connections < 1 || brokerPid <= 0) {
            throw new IllegalArgumentException("footprint needs -connections >= 1 and the broker's pid (got "
                    + connections + " and " + brokerPid + ")");
        }
        this.factory = factory;
        this.connections = connections;
        this.settleMillis = settleMillis;
        this.brokerPid = brokerPid;
    }

    /**
     * Figures: idle RSS, RSS with the connections open, their count, KiB per connection and the time to open; then,
     * with those still open, a second batch of as many: KiB per connection of that batch (the broker warm).
     */
    Map<String, Double> measure() throws Exception {
        Thread.sleep(settleMillis);
        long idle = ProcStatus.rssKib(brokerPid);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Connection>> opening = new ArrayList<>(2 * connections);
        Map<String, Double> figures = new LinkedHashMap<>();
        try {
            long start = System.nanoTime();
            open(pool, opening);
            double openMillis = (System.nanoTime() - start) / 1e6;
            Thread.sleep(settleMillis);
            long with = ProcStatus.rssKib(brokerPid);
            open(pool, opening);
            Thread.sleep(settleMillis);
            long withTwice = ProcStatus.rssKib(brokerPid);
            figures.put(Figures.IDLE_RSS_MIB, ProcStatus.mib(idle));
            figures.put(Figures.CONNECTIONS, (double) connections);
            figures.put(Figures.CONNECTED_RSS_MIB, ProcStatus.mib(with));
            figures.put(Figures.KIB_PER_CONNECTION, idle < 0 || with < 0 ? Double.NaN
                    : (with - idle) / (double) connections);
            figures.put(Figures.KIB_PER_CONNECTION_WARM, with < 0 || withTwice < 0 ? Double.NaN
                    : (withTwice - with) / (double) connections);
            figures.put(Figures.OPEN_MS, openMillis);
        } finally {
            closeAll(pool, opening);
        }
        return figures;
    }

    /** Opens and starts another {@code connections} connections on the pool's threads and waits for them all. */
    private void open(ExecutorService pool, List<Future<Connection>> opening) throws Exception {
        int from = opening.size();
        for (int i = 0; i < connections; i++) {
            opening.add(pool.submit(() -> {
                Connection connection = factory.createConnection();
                connection.start();
                return connection;
            }));
        }
        for (Future<Connection> connection : opening.subList(from, opening.size())) {
            connection.get();
        }
    }

    /** Closes every connection that opened, on the same threads, and stops them. */
    private static void closeAll(ExecutorService pool, List<Future<Connection>> opening) throws InterruptedException {
        List<Future<?>> closing = new ArrayList<>();
        for (Future<Connection> future : opening) {
            closing.add(pool.submit(() -> {
                try {
                    future.get().close();
                } catch (ExecutionException e) {
                    // It never opened: nothing to close.
                } catch (JMSException e) {
                    System.err.println("bench driver: closing a connection failed: " + e);
                }
                return null;
            }));
        }
        for (Future<?> future : closing) {
            try {
                future.get();
            } catch (ExecutionException e) {
                System.err.println("bench driver: closing a connection failed: " + e.getCause());
            }
        }
        pool.shutdown();
    }
}
