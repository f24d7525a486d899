package io.tern.examples.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.examples.ee.crash.CrashServlet;
import io.tern.examples.ee.crash.CrashingSender;
import io.tern.examples.ee.crash.HaltingXAResource;
import io.tern.jms.client.TernConnectionFactory;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outbound XA crash recovery inside WildFly. An EJB sends through the adapter's pooled XA connection factory in a
 * JTA transaction that also holds a {@link HaltingXAResource}, enlisted first: Narayana prepares both branches,
 * logs its decision, commits the halting branch first, and the server halts with Tern's branch prepared on the
 * broker (which runs in this JVM, {@link OutsideBroker}, and so outlives the server). The test then starts WildFly
 * again; its recovery manager (periodic recovery every 2 s, arquillian.xml) asks the adapter's connection factory
 * for an {@code XAResource}, connecting as ironjacamar.xml's {@code <recover-credential>}, and commits the branch:
 * the message reaches the queue once.
 *
 * <p>The container is in manual mode (qualifier {@code wildfly-crash}, chosen by the failsafe execution with
 * {@code arquillian.launch}), so that the test starts it, finds it halted, and starts it again.
 */
@ExtendWith({OutsideBroker.class, ArquillianExtension.class})
@RunAsClient
class CrashRecoveryIT {
    private static final String CONTAINER = "wildfly-crash";
    private static final String QUEUE = "recovered";

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "adapter", order = 1, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static ResourceAdapterArchive adapter() throws IOException {
        return Archives.adapter();
    }

    @Deployment(name = "crash", order = 2, managed = false, testable = false)
    @TargetsContainer(CONTAINER)
    static WebArchive crashApplication() {
        return ShrinkWrap.create(WebArchive.class, "crash.war")
                .addClasses(CrashServlet.class, CrashingSender.class, HaltingXAResource.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api\n"));
    }

    @Test
    void aBranchLeftPreparedByAServerCrashIsCommittedByTheRestartedServersRecovery() throws Exception {
        controller.start(CONTAINER);
        deployer.deploy("adapter");
        deployer.deploy("crash");
        String id = "crash-" + UUID.randomUUID();

        // The request never gets its answer: the server halts in the middle of the transaction's commit.
        assertThatThrownBy(() -> post("/crash/send?queue=" + QUEUE + "&id=" + id))
                .as("the server halted while committing").isInstanceOf(IOException.class);
        controller.stop(CONTAINER); // the process is gone already; this makes Arquillian see it so

        List<Xid> inDoubt = inDoubt();
        assertThat(inDoubt).as("Tern's branch was prepared and left in doubt by the crash").hasSize(1);
        assertThat(inDoubt.get(0).getFormatId()).as("a Narayana branch").isEqualTo(131077);
        assertThat(browse(id)).as("not committed: nothing on the queue yet").isEmpty();

        long restarted = System.nanoTime();
        controller.start(CONTAINER); // WildFly deploys the adapter and crash.war again from its configuration
        try {
            Awaitility.await("the restarted server's recovery commits Tern's branch").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).until(() -> inDoubt().isEmpty());
            System.out.printf("CrashRecoveryIT: branch committed %d ms after the restart began%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            assertThat(browse(id)).as("the message is delivered once").hasSize(1);
        } finally {
            deployer.undeploy("crash");
            deployer.undeploy("adapter");
            controller.stop(CONTAINER);
        }
    }

    private static void post(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + (8080 + Integer.getInteger("tern.it.portOffset")) + path);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        throw new AssertionError("the server answered " + r.statusCode() + " instead of halting: " + r.body());
    }

    /** The prepared branches the broker holds, listed as a transaction manager's recovery would. */
    private static List<Xid> inDoubt() throws Exception {
        try (XAConnection c = new TernXAConnectionFactory(OutsideBroker.url()).createXAConnection()) {
            XAResource xa = c.createXASession().getXAResource();
            return List.of(xa.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        }
    }

    private static List<Message> browse(String id) throws Exception {
        try (Connection c = new TernConnectionFactory(OutsideBroker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser b = s.createBrowser(s.createQueue(QUEUE), "orderId = '" + id + "'")) {
                return Collections.list(b.getEnumeration()).stream().map(Message.class::cast).toList();
            }
        }
    }
}
