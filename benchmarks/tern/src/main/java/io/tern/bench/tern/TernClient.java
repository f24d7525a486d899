package io.tern.bench.tern;

import io.tern.bench.driver.ClientFactory;
import io.tern.bench.driver.Scenario;
import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.ConnectionFactory;

/** Tern's client with its defaults, plus {@code asyncSend=true} where the scenario asks for asynchronous sends. */
public final class TernClient implements ClientFactory {
    @Override
    public String provider() {
        return "tern";
    }

    @Override
    public ConnectionFactory create(int port, Scenario scenario) {
        return new TernConnectionFactory("tcp://127.0.0.1:" + port + (scenario.asyncSend() ? "?asyncSend=true" : ""));
    }
}
