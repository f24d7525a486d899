package io.tern.bench.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The contract between a forked broker JVM and the runner: the broker prints {@value #READY} with its port once it
 * accepts connections, then runs until its standard input says {@code stop} or closes (so a broker never outlives a
 * runner that died), stops cleanly and exits.
 */
public final class BrokerConsole {
    public static final String READY = "BENCH-BROKER-READY";

    private BrokerConsole() {
    }

    /** Announces the port, waits for the runner to let go, then runs {@code stop} and exits the JVM. */
    public static void serve(int port, Runnable stop) {
        System.out.println(READY + " port=" + port + " pid=" + ProcessHandle.current().pid());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // Nothing else is understood; keep serving.
            }
        } catch (IOException e) {
            System.err.println("bench broker: standard input failed (" + e.getMessage() + "); stopping");
        }
        stop.run();
        System.out.println("BENCH-BROKER-STOPPED");
        System.out.flush();
        System.exit(0);
    }

    /** The value of {@code -name VALUE} in {@code args}, or {@code fallback}. */
    public static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
