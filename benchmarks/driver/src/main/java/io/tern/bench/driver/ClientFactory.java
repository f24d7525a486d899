package io.tern.bench.driver;

import jakarta.jms.ConnectionFactory;

/**
 * What a provider adapter gives the driver: its JMS client, pointed at a broker on 127.0.0.1. Each adapter module
 * registers exactly one in {@code META-INF/services}; the driver JVM runs on that module's classpath alone.
 */
public interface ClientFactory {

    /** The provider's name in reports, e.g. {@code tern}. */
    String provider();

    /** A connection factory for the broker at {@code 127.0.0.1:port}, set up as the scenario asks. */
    ConnectionFactory create(int port, Scenario scenario);
}
