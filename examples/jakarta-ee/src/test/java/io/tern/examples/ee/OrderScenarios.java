package io.tern.examples.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The example application in WildFly, through Tern's resource adapter: what a send in a JTA transaction, an MDB
 * that fails, and the dead-letter queue do end to end. Each subclass runs these against one broker: the adapter's
 * {@code ServerUrl}, {@code EmbeddedBroker} and friends come from the failsafe execution that runs it (pom.xml).
 * The deployments are the build's own archives: {@code tern-ra.rar} first, then the application.
 */
abstract class OrderScenarios {
    static final Duration WAIT = Duration.ofSeconds(60);

    final Shop shop = new Shop();

    @Deployment(name = "adapter", order = 1, testable = false)
    static ResourceAdapterArchive adapter() throws IOException {
        return Archives.adapter();
    }

    @Deployment(name = "shop", order = 2, testable = false)
    static WebArchive shopApplication() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, Archives.file("tern.it.war"));
    }

    /** A bean with a durable subscription, in a deployment of its own that the test deploys and undeploys. */
    @Deployment(name = "durable-watcher", order = 3, managed = false, testable = false)
    static WebArchive durableWatcher() {
        return ShrinkWrap.create(WebArchive.class, "durable-watcher.war")
                .addClass(DurablePriceWatcher.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api\n"));
    }

    /** A bean whose destinationLookup names nothing: its deployment fails. */
    @Deployment(name = "misnamed-queue", order = 4, managed = false, testable = false)
    static WebArchive misnamedQueue() {
        return ShrinkWrap.create(WebArchive.class, "misnamed-queue.war")
                .addClass(MisnamedQueueListener.class)
                .setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: jakarta.jms.api\n"));
    }

    @ArquillianResource
    Deployer deployer;

    /** The broker's TCP address for a plain client in this JVM (to look at its queues). */
    abstract String brokerUrl();

    static ConditionFactory await() {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200));
    }

    static String newId(String what) {
        return what + "-" + UUID.randomUUID();
    }

    @Test
    void aSendInATransactionThatRollsBackIsNeverDelivered() throws Exception {
        String refused = newId("refused");
        Shop.Answer answer = shop.place(refused, "nothing", 0, 0);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);

        // A committed order sent after it arrives; had the refused one been sent, it would have arrived first.
        String placed = newId("placed");
        assertThat(shop.place(placed, "book", 1, 0).status()).isEqualTo(202);
        await().until(() -> shop.rows(placed).size() == 1);

        assertThat(shop.rows(refused)).isEmpty();
        assertThat(browse(OrderSender.QUEUE, refused)).isEmpty();
        assertThat(browse("DLQ", refused)).isEmpty();
    }

    @Test
    void aCommittedSendReachesTheMdb() throws Exception {
        String id = newId("committed");
        Shop.Answer answer = shop.place(id, "lamp", 2, 0);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo(id);

        await().until(() -> !shop.rows(id).isEmpty());
        assertThat(shop.rows(id)).containsExactly(id + " lamp 2 1");
    }

    @Test
    void anMdbThatThrowsHasItsRowRolledBackAndTheMessageRedeliveredUntilItSucceeds() throws Exception {
        String id = newId("flaky");
        int failures = OutsideBroker.MAX_DELIVERIES - 1;
        assertThat(shop.place(id, "chair", 1, failures).status()).isEqualTo(202);

        // Deliveries 1 and 2 insert a row and throw; delivery 3 inserts and commits. Exactly one row, written by
        // the third delivery: the first two were rolled back with their messages.
        await().until(() -> !shop.rows(id).isEmpty());
        assertThat(shop.rows(id)).containsExactly(id + " chair 1 " + (failures + 1));
        assertThat(browse(OrderSender.QUEUE, id)).isEmpty();
        assertThat(browse("DLQ", id)).isEmpty();
    }

    @Test
    void aMessageThatFailsEveryDeliveryEndsInTheDeadLetterQueue() throws Exception {
        String id = newId("poison");
        assertThat(shop.place(id, "anvil", 1, Integer.MAX_VALUE).status()).isEqualTo(202);

        AtomicReference<Message> dead = new AtomicReference<>();
        try (Connection c = new TernConnectionFactory(brokerUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("DLQ"), selector(id));
            await().until(() -> {
                dead.set(consumer.receive(500));
                return dead.get() != null;
            });
        }
        Message m = dead.get();
        assertThat(m.getStringProperty("JMS_TERN_ORIGINAL_DESTINATION")).contains(OrderSender.QUEUE);
        assertThat(m.getStringProperty("JMS_TERN_DEAD_LETTER_REASON")).isNotBlank();
        assertThat(shop.rows(id)).as("every delivery's row was rolled back").isEmpty();
        assertThat(browse(OrderSender.QUEUE, id)).isEmpty();
    }

    @Test
    void aMessageOnTheQueueBoundInJndiReachesTheBeanThatLooksItUp() throws Exception {
        // AuditListener names neither its queue nor its broker: it has java:/jms/queue/TernAudit (PhysicalName
        // audit) and the broker of java:/TernConnectionFactory. A plain client sends to the queue by its name.
        String id = newId("audit");
        send(session -> session.createQueue("audit"), id);
        await().until(() -> !shop.receipts(id).isEmpty());
        assertThat(shop.receipts(id)).singleElement().asString().startsWith("audit ");
        assertThat(browse("audit", id)).isEmpty();
    }

    @Test
    void aDestinationLookupOfANameNotBoundFailsTheDeploymentNamingTheProperty() {
        assertThatThrownBy(() -> deployer.deploy("misnamed-queue"))
                .hasStackTraceContaining("TERN-R0218")
                .hasStackTraceContaining("destinationLookup '" + MisnamedQueueListener.NAME + "' cannot be looked up");
    }

    @Test
    void eachPublishedPriceReachesTheSharedSubscriptionOnceNotOncePerSession() throws Exception {
        // A non-durable subscription exists only while its consumers do: publish until the bean has one.
        awaitSubscribed("prices ", "price-ping");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(newId("price-" + i));
        }
        try (Connection c = new TernConnectionFactory(brokerUrl()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createTopic(PriceListener.TOPIC));
            for (String id : ids) {
                Message m = s.createMessage();
                m.setStringProperty(Order.ID, id);
                producer.send(m);
            }
        }
        await().until(() -> receiptsOf("prices ", ids).size() >= ids.size());
        // Three sessions that each had a subscription of their own would deliver every price three times; the
        // count must stay at one per price (Awaitility's during: it holds for the whole period, not at one poll).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> receiptsOf("prices ", ids).size() == ids.size());
        for (String id : ids) {
            assertThat(shop.receipts(id)).as(id).filteredOn(r -> r.startsWith("prices ")).hasSize(1);
        }
    }

    @Test
    void aDurableSubscriptionKeepsWhatIsPublishedWhileItsBeanIsUndeployed() throws Exception {
        deployer.deploy("durable-watcher");
        try {
            awaitSubscribed("durable ", "durable-ping");
            deployer.undeploy("durable-watcher");

            String whileAway = newId("price-while-undeployed");
            send(session -> session.createTopic(PriceListener.TOPIC), whileAway);
            deployer.deploy("durable-watcher");
            await().until(() -> receiptsOf("durable ", List.of(whileAway)).size() == 1);
        } finally {
            deployer.undeploy("durable-watcher");
        }
    }

    /** Publishes pings to the prices topic until {@code listener} (a receipt's prefix) has received one. */
    private void awaitSubscribed(String listener, String what) {
        List<String> pings = new ArrayList<>();
        await().until(() -> {
            String ping = newId(what);
            pings.add(ping);
            send(session -> session.createTopic(PriceListener.TOPIC), ping);
            return !receiptsOf(listener, pings).isEmpty();
        });
    }

    /** The receipts by {@code listenerPrefix} among those of {@code ids}. */
    private List<String> receiptsOf(String listenerPrefix, List<String> ids) throws Exception {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            for (String r : shop.receipts(id)) {
                if (r.startsWith(listenerPrefix)) {
                    out.add(id + " " + r);
                }
            }
        }
        return out;
    }

    interface DestinationOf {
        Destination in(Session session) throws JMSException;
    }

    /** Sends one message carrying {@code id} (the orderId property) to a destination, with a plain client. */
    void send(DestinationOf destination, String id) throws JMSException {
        try (Connection c = new TernConnectionFactory(brokerUrl()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createMessage();
            m.setStringProperty(Order.ID, id);
            s.createProducer(destination.in(s)).send(m);
        }
    }

    /** The messages of order {@code id} waiting in {@code queue}, browsed with a plain client. */
    List<Message> browse(String queue, String id) throws JMSException {
        try (Connection c = new TernConnectionFactory(brokerUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = s.createBrowser(s.createQueue(queue), selector(id))) {
                return Collections.list(browser.getEnumeration()).stream().map(Message.class::cast).toList();
            }
        }
    }

    static String selector(String id) {
        return Order.ID + " = '" + id + "'";
    }
}
