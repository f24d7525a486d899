package io.tern.bench.artemis;

import io.tern.bench.driver.ClientFactory;
import io.tern.bench.driver.Scenario;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Artemis's core JMS client with its defaults: durable sends block for the broker, non-durable sends do not
 * (blockOnNonDurableSend=false) and are bounded by its producer window.
 */
public final class ArtemisClient implements ClientFactory {
    @Override
    public String provider() {
        return "artemis";
    }

    @Override
    public ConnectionFactory create(int port, Scenario scenario) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
    }
}
