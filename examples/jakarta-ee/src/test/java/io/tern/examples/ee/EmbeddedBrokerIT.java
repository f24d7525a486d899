package io.tern.examples.ee;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios against the broker the adapter embeds in WildFly ({@code EmbeddedBroker=true}, configured by
 * src/test/wildfly/embedded-broker.properties): it also listens on 127.0.0.1, where this test looks at its queues.
 */
@ExtendWith(ArquillianExtension.class)
class EmbeddedBrokerIT extends OrderScenarios {

    @Override
    String brokerUrl() {
        return "tcp://127.0.0.1:" + Integer.getInteger("tern.it.embeddedBrokerPort");
    }
}
