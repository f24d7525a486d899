package io.tern.bench.classic;

import io.tern.bench.driver.ClientFactory;
import io.tern.bench.driver.Scenario;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * ActiveMQ Classic's OpenWire client with its defaults: persistent sends outside a transaction are synchronous,
 * non-persistent sends are already asynchronous, so the scenario needs no option.
 */
public final class ClassicClient implements ClientFactory {
    @Override
    public String provider() {
        return "classic";
    }

    @Override
    public ConnectionFactory create(int port, Scenario scenario) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
    }
}
