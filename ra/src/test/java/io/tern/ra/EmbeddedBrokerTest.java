package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tern.broker.Broker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** EmbeddedBroker=true: the adapter starts a broker in the server, and its factories and MDBs reach it. */
@Timeout(120)
class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedBrokerServesTheAdaptersConnectionsAndStopsWithIt() throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "name=embedded-ra\nvm-name=embedded-ra\nport=0\n");
        TransactionManager tm = Narayana.start(dir.resolve("narayana"));
        try (TestWorkManager work = new TestWorkManager()) {
            TernResourceAdapter ra = new TernResourceAdapter();
            ra.setEmbeddedBroker(true);
            ra.setEmbeddedBrokerDataDirectory(dir.resolve("data").toString());
            ra.setEmbeddedBrokerConfiguration(config.toString());
            ra.start(new TestBootstrapContext(work));
            try {
                assertThat(Broker.atVm("embedded-ra")).isPresent();
                assertThat(ra.defaults().url()).isEqualTo("vm://embedded-ra");
                TestEndpointFactory mdb = new TestEndpointFactory(tm, true, m -> { });
                TernActivationSpec spec = new TernActivationSpec();
                spec.setDestination("embedded");
                spec.setResourceAdapter(ra);
                ra.endpointActivation(mdb, spec);

                TernManagedConnectionFactory mcf = new TernManagedConnectionFactory();
                mcf.setResourceAdapter(ra);
                TestConnectionManager cm = new TestConnectionManager(tm);
                ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory(cm);
                tm.begin();
                try (Connection c = cf.createConnection()) {
                    Session s = c.createSession();
                    s.createProducer(s.createQueue("embedded")).send(s.createTextMessage("inside"));
                }
                tm.commit();

                await().atMost(Duration.ofSeconds(60)).until(() -> mdb.committed.contains("inside"));
                ra.endpointDeactivation(mdb, spec);
                cm.close();
            } finally {
                ra.stop();
            }
            assertThat(Broker.atVm("embedded-ra")).isEmpty();
            assertThat(dir.resolve("data")).isDirectory();
        }
    }
}
