package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.wire.WireXid;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.util.Map;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prepared XA branch on the journal survives a broker restart: recover() lists it on a new connection, and its
 * commit (or rollback) from that connection takes effect, with the message it consumed locked until then.
 */
@Timeout(60)
class JournalXaRestartTest {
    private static final Xid XID = new WireXid(0x7e57, "restart".getBytes(), new byte[] {1});

    @TempDir
    Path dir;

    private BrokerConfig config() {
        return ConfigLoader.fromOptions(Map.of("store", "journal"), "test",
                BrokerConfig.builder().name("journal-xa").host("127.0.0.1").port(0).dataDir(dir).heartbeatMillis(0));
    }

    private static TernXAConnectionFactory factory(Broker broker) {
        return new TernXAConnectionFactory("tcp://127.0.0.1:" + broker.port());
    }

    /** Puts "order" on queue "in", then moves it to "out" in a branch that is prepared before the broker stops. */
    private void prepareAndStop() throws Exception {
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (Connection c = factory(broker).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createProducer(s.createQueue("in")).send(s.createTextMessage("order"));
            }
            try (XAConnection c = factory(broker).createXAConnection()) {
                c.start();
                XASession session = c.createXASession();
                XAResource r = session.getXAResource();
                r.start(XID, XAResource.TMNOFLAGS);
                MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
                TextMessage m = (TextMessage) consumer.receive(5000);
                session.createProducer(session.createQueue("out")).send(session.createTextMessage("reply to "
                        + m.getText()));
                consumer.close();
                r.end(XID, XAResource.TMSUCCESS);
                assertThat(r.prepare(XID)).isEqualTo(XAResource.XA_OK);
            }
        }
    }

    private static Message receive(Broker broker, String queue) throws Exception {
        try (Connection c = factory(broker).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            return s.createConsumer(s.createQueue(queue)).receive(1000);
        }
    }

    @Test
    void aPreparedBranchIsCommittedAfterARestartFromANewConnection() throws Exception {
        prepareAndStop();
        try (Broker broker = new Broker(config())) {
            broker.start();
            assertThat(broker.queueDepth("out")).as("not routed before commit").isZero();
            try (XAConnection c = factory(broker).createXAConnection()) {
                XAResource r = c.createXASession().getXAResource();
                assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).containsExactly(XID);
                assertThat(receive(broker, "in")).as("the consumed message stays locked").isNull();
                r.commit(XID, false);
                assertThat(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
            }
            assertThat(((TextMessage) receive(broker, "out")).getText()).isEqualTo("reply to order");
            assertThat(receive(broker, "out")).as("delivered once").isNull();
            assertThat(receive(broker, "in")).isNull();
        }
        try (Broker broker = new Broker(config())) {
            broker.start();
            assertThat(broker.queueDepth("in")).as("the commit is durable").isZero();
            assertThat(broker.queueDepth("out")).isZero();
        }
    }

    @Test
    void aPreparedBranchIsRolledBackAfterARestart() throws Exception {
        prepareAndStop();
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (XAConnection c = factory(broker).createXAConnection()) {
                XAResource r = c.createXASession().getXAResource();
                assertThat(r.recover(XAResource.TMSTARTRSCAN)).containsExactly(XID);
                r.rollback(XID);
            }
            Message back = receive(broker, "in");
            assertThat(((TextMessage) back).getText()).isEqualTo("order");
            assertThat(back.getJMSRedelivered()).isTrue();
            assertThat(receive(broker, "out")).isNull();
        }
    }

    /**
     * The branch consumed messages that, after the restart, are in the store only (the queue pages under a small
     * memory-limit): they stay locked too, so a plain consumer gets only what the branch did not consume.
     */
    @Test
    void messagesAPreparedBranchConsumedStayLockedWhenTheQueuePagesAfterARestart() throws Exception {
        BrokerConfig paging = ConfigLoader.fromOptions(Map.of("store", "journal", "memory-limit", "64k"), "test",
                BrokerConfig.builder().name("journal-xa-paging").host("127.0.0.1").port(0).dataDir(dir)
                        .heartbeatMillis(0));
        byte[] body = new byte[1024];
        try (Broker broker = new Broker(paging)) {
            broker.start();
            try (Connection c = factory(broker).createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.MessageProducer p = s.createProducer(s.createQueue("in"));
                for (int n = 0; n < 200; n++) {
                    jakarta.jms.BytesMessage m = s.createBytesMessage();
                    m.writeBytes(body);
                    m.setIntProperty("n", n);
                    p.send(m);
                }
            }
            try (XAConnection c = factory(broker).createXAConnection()) {
                c.start();
                XASession session = c.createXASession();
                XAResource r = session.getXAResource();
                r.start(XID, XAResource.TMNOFLAGS);
                MessageConsumer consumer = session.createConsumer(session.createQueue("in"));
                for (int n = 0; n < 150; n++) {
                    assertThat(consumer.receive(5000).getIntProperty("n")).isEqualTo(n);
                }
                consumer.close();
                r.end(XID, XAResource.TMSUCCESS);
                assertThat(r.prepare(XID)).isEqualTo(XAResource.XA_OK);
            }
        }
        try (Broker broker = new Broker(paging)) {
            broker.start();
            java.util.List<Integer> got = new java.util.ArrayList<>();
            try (Connection c = factory(broker).createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("in"));
                Message m;
                while ((m = consumer.receive(1000)) != null) {
                    got.add(m.getIntProperty("n"));
                }
            }
            assertThat(got).as("only what the branch did not consume")
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(150, 200).boxed().toList());
            try (XAConnection c = factory(broker).createXAConnection()) {
                c.createXASession().getXAResource().commit(XID, false);
            }
            assertThat(receive(broker, "in")).isNull();
        }
    }

    /**
     * Publishes "first" to topic "news" for durable subscription "sub", then, in a branch prepared before the broker
     * stops, consumes it from the subscription and publishes "second" to the topic.
     */
    private void prepareOnADurableSubscriptionAndStop() throws Exception {
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (Connection c = factory(broker).createConnection()) {
                c.setClientID("subscriber");
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableSubscriber(s.createTopic("news"), "sub").close();
                s.createProducer(s.createTopic("news")).send(s.createTextMessage("first"));
            }
            try (XAConnection c = factory(broker).createXAConnection()) {
                c.setClientID("subscriber");
                c.start();
                XASession session = c.createXASession();
                XAResource r = session.getXAResource();
                r.start(XID, XAResource.TMNOFLAGS);
                MessageConsumer consumer = session.createDurableSubscriber(session.createTopic("news"), "sub");
                assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("first");
                session.createProducer(session.createTopic("news")).send(session.createTextMessage("second"));
                consumer.close();
                r.end(XID, XAResource.TMSUCCESS);
                assertThat(r.prepare(XID)).isEqualTo(XAResource.XA_OK);
            }
        }
    }

    @Test
    void aRecoveredBranchLocksWhatItConsumedFromADurableSubscriptionAndItsCommitDeliversItsPublishAtOnce()
            throws Exception {
        prepareOnADurableSubscriptionAndStop();
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (Connection c = factory(broker).createConnection()) {
                c.setClientID("subscriber");
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer subscriber = s.createDurableSubscriber(s.createTopic("news"), "sub");
                assertThat(subscriber.receive(1000)).as("first is locked by the branch, second not yet published")
                        .isNull();
                try (XAConnection xa = factory(broker).createXAConnection()) {
                    XAResource r = xa.createXASession().getXAResource();
                    assertThat(r.recover(XAResource.TMSTARTRSCAN)).containsExactly(XID);
                    r.commit(XID, false);
                }
                assertThat(((TextMessage) subscriber.receive(5000)).getText()).isEqualTo("second");
                assertThat(subscriber.receive(500)).as("first was consumed by the branch").isNull();
            }
        }
        try (Broker broker = new Broker(config())) {
            broker.start();
            assertThat(broker.topicStats("news").orElseThrow().messageCount()).as("all of it is durable").isZero();
        }
    }

    @Test
    void aRecoveredBranchRolledBackGivesBackWhatItConsumedFromADurableSubscription() throws Exception {
        prepareOnADurableSubscriptionAndStop();
        try (Broker broker = new Broker(config())) {
            broker.start();
            try (Connection c = factory(broker).createConnection()) {
                c.setClientID("subscriber");
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer subscriber = s.createDurableSubscriber(s.createTopic("news"), "sub");
                assertThat(subscriber.receive(1000)).as("first is locked by the branch").isNull();
                try (XAConnection xa = factory(broker).createXAConnection()) {
                    xa.createXASession().getXAResource().rollback(XID);
                }
                Message back = subscriber.receive(5000);
                assertThat(((TextMessage) back).getText()).isEqualTo("first");
                assertThat(back.getJMSRedelivered()).isTrue();
                assertThat(subscriber.receive(500)).as("the branch's publish is dropped").isNull();
            }
        }
    }
}
