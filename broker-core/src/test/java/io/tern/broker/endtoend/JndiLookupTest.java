package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An application that finds everything through a plain jndi.properties on its class path. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JndiLookupTest {

    @Test
    void factoriesAndDestinationsFromJndiPropertiesWork() throws Exception {
        InitialContext ctx = new InitialContext();
        try {
            ConnectionFactory factory = (ConnectionFactory) ctx.lookup("ConnectionFactory");
            Queue orders = (Queue) ctx.lookup("Orders");
            Topic prices = (Topic) ctx.lookup("Prices");
            assertThat(orders.getQueueName()).isEqualTo("orders.physical");
            assertThat(prices.getTopicName()).isEqualTo("prices.physical");
            assertThat(((TernConnectionFactory) ctx.lookup("OtherFactory")).getBrokerURL()).isEqualTo("vm://jndi-e2e");
            assertThat(((TernConnectionFactory) ctx.lookup("TcpFactory")).getBrokerURL())
                    .isEqualTo("tcp://127.0.0.1:61616");

            try (Connection c = factory.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(orders).send(s.createTextMessage("found through JNDI"));
                c.start();
                assertThat(QueueMessagingTest.text(s.createConsumer(orders).receive(5000)))
                        .isEqualTo("found through JNDI");
            }
        } finally {
            ctx.close();
        }
    }
}
