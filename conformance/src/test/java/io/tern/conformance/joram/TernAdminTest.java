package io.tern.conformance.joram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TernAdminTest {
    private final TernAdmin admin = new TernAdmin();

    @AfterEach
    void stopBroker() {
        admin.stopServer();
    }

    @Test
    void boundFactoryAndQueueReachTheBrokerOverTcp() throws Exception {
        admin.startServer();
        admin.createQueueConnectionFactory("adminTestQCF");
        admin.createQueue("adminTestQueue");
        Context ctx = new TernAdmin().createContext(); // JORAM makes a new Admin for every call site

        ConnectionFactory factory = (ConnectionFactory) ctx.lookup("adminTestQCF");
        Queue queue = (Queue) ctx.lookup("adminTestQueue");
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(queue).send(session.createTextMessage("hello"));
            connection.start();
            TextMessage received = (TextMessage) session.createConsumer(queue).receive(5000);
            assertThat(received.getText()).isEqualTo("hello");
        }

        admin.deleteQueueConnectionFactory("adminTestQCF");
        admin.deleteQueue("adminTestQueue");
        assertThatThrownBy(() -> ctx.lookup("adminTestQCF")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> ctx.lookup("adminTestQueue")).isInstanceOf(NameNotFoundException.class);
    }

    @Test
    void startServerStopsABrokerLeftRunningByAFailedSetUp() throws Exception {
        admin.startServer();
        Broker leftOver = TernAdmin.currentBroker();

        new TernAdmin().startServer(); // the next test's setUp; no tearDown ran in between

        assertThat(leftOver.isStarted()).isFalse();
        assertThat(TernAdmin.currentBroker()).isNotSameAs(leftOver);
        assertThat(TernAdmin.currentBroker().isStarted()).isTrue();
    }

    @Test
    void stopServerStopsTheBrokerAndCanBeRepeated() throws Exception {
        admin.startServer();
        Broker broker = TernAdmin.currentBroker();

        admin.stopServer();
        admin.stopServer();

        assertThat(broker.isStarted()).isFalse();
        assertThat(TernAdmin.currentBroker()).isNull();
    }

    @Test
    void destinationsNeedARunningBroker() {
        assertThatThrownBy(() -> admin.createQueue("noBroker")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("startServer");
    }
}
