package io.tern.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConfigLoader;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker on a persistent store keeps its persistent messages across a restart, and only those: written once, run
 * by each persistent store module (it names the store's options and says where its data lands).
 */
@Timeout(30)
public abstract class BrokerRestartContractTest {
    private static final WireDestination Q = WireDestination.queue("durable");

    @TempDir
    protected Path dir;

    /** The broker options that select the store, e.g. {@code store=journal}. */
    protected abstract Map<String, String> storeOptions();

    /** Checks that the store wrote its data where it should, after the first broker stopped. */
    protected abstract void assertDataWritten(BrokerConfig config);

    protected BrokerConfig config(String name, Map<String, String> options) {
        return ConfigLoader.fromOptions(options, "test",
                BrokerConfig.builder().name(name).port(0).dataDir(dir).heartbeatMillis(0));
    }

    /**
     * Two brokers on one store: the second waits as a standby, listening on nothing, and takes over as soon as the
     * first stops cleanly (it releases the store's lock), with the first's persistent messages.
     */
    @Test
    void aSecondBrokerOnTheSameStoreWaitsAsStandbyAndTakesOverWhenTheFirstStops() {
        Map<String, String> options = new HashMap<>(storeOptions());
        options.put("ha.poll-ms", "50");
        BrokerConfig firstConfig = config("active-" + getClass().getSimpleName(), options);
        BrokerConfig secondConfig = config("standby-" + getClass().getSimpleName(), options);
        List<String> holders = new CopyOnWriteArrayList<>();
        try (Broker first = new Broker(firstConfig); Broker second = new Broker(secondConfig)) {
            first.start();
            try (WireTestClient client = WireTestClient.tcp(first.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.sendMessage(1, Messages.to(Q).persistent(true).text("handed-over"));
            }
            second.listener(new Broker.Listener() {
                @Override
                public void standby(String holder) {
                    holders.add(holder);
                }
            });
            CompletableFuture<Void> starting = CompletableFuture.runAsync(second::start);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.state() == Broker.State.STANDBY);
            assertThat(holders).hasSize(1);
            assertThat(second.isStarted()).isFalse();
            assertThat(second.port()).as("a standby listens on nothing").isEqualTo(-1);
            assertThat(first.state()).isEqualTo(Broker.State.ACTIVE);

            first.stop();
            // a clean stop releases the lock at once: no lease has to run out
            starting.join();
            assertThat(second.state()).isEqualTo(Broker.State.ACTIVE);
            assertThat(second.queueDepth("durable")).isEqualTo(1);
            try (WireTestClient client = WireTestClient.tcp(second.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("handed-over");
            }
        }
    }

    /** A standby that is stopped stops waiting: its start returns without starting. */
    @Test
    void aStandbyThatIsStoppedStopsWaiting() {
        Map<String, String> options = new HashMap<>(storeOptions());
        options.put("ha.poll-ms", "50");
        try (Broker first = new Broker(config("holder-" + getClass().getSimpleName(), options));
             Broker second = new Broker(config("waiter-" + getClass().getSimpleName(), options))) {
            first.start();
            CompletableFuture<Void> starting = CompletableFuture.runAsync(second::start);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.state() == Broker.State.STANDBY);
            second.stop();
            starting.join();
            assertThat(second.isStarted()).isFalse();
            assertThat(second.state()).isEqualTo(Broker.State.STOPPED);
            assertThat(first.isStarted()).isTrue();
        }
    }

    @Test
    void persistentMessagesSurviveABrokerRestart() {
        BrokerConfig config = config("restart-" + getClass().getSimpleName(), storeOptions());
        try (Broker first = new Broker(config)) {
            first.start();
            assertThat(first.storeKind()).isEqualTo(storeOptions().get("store"));
            try (WireTestClient client = WireTestClient.tcp(first.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.sendMessage(1, Messages.to(Q).persistent(true).text("kept-1"));
                client.sendMessage(1, Messages.to(Q).persistent(false).text("lost"));
                client.sendMessage(1, Messages.to(Q).persistent(true).text("acked"));
                client.sendMessage(1, Messages.to(Q).persistent(true).text("kept-2"));
                client.openConsumer(1, 1, Q, 1);
                Frame.Deliver d = client.expect(Frame.Deliver.class);
                assertThat(Messages.textOf(d.envelope())).isEqualTo("kept-1");
                client.ack(1, AckKind.CONSUMED, d.deliveryId());
            }
        }
        assertDataWritten(config);
        try (Broker second = new Broker(config)) {
            second.start();
            assertThat(second.queueDepth("durable")).isEqualTo(2);
            try (WireTestClient client = WireTestClient.vm(config.vmName())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.openConsumer(1, 1, Q, 10);
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("acked");
                assertThat(Messages.textOf(client.expect(Frame.Deliver.class).envelope())).isEqualTo("kept-2");
            }
        }
    }

    private static int xa(WireTestClient c, java.util.function.IntFunction<Frame> request) {
        int corr = c.nextCorrelationId();
        c.send(request.apply(corr));
        Frame.XaResult r = c.expect(Frame.XaResult.class);
        assertThat(r.correlationId()).isEqualTo(corr);
        return r.code();
    }

    private static java.util.List<WireXid> recover(WireTestClient c) {
        c.send(new Frame.XaRecover(c.nextCorrelationId()));
        return c.expect(Frame.XaRecoverOk.class).xids();
    }

    /**
     * An operator's decision on an in-doubt branch is kept by the store: after a restart the transaction manager
     * still learns it (XA_RECOVER lists the branch, XA_COMMIT answers XA_HEURRB or XA_HEURCOM) until XA_FORGET,
     * which the store forgets for good.
     */
    @Test
    void aDecisionByHandOnAPreparedBranchSurvivesABrokerRestartUntilForgotten() {
        BrokerConfig config = config("heuristic-" + getClass().getSimpleName(), storeOptions());
        WireXid rolledBack = new WireXid(0x7e57, new byte[] {1}, new byte[] {1});
        WireXid committed = new WireXid(0x7e57, new byte[] {2}, new byte[] {1});
        try (Broker first = new Broker(config)) {
            first.start();
            try (WireTestClient client = WireTestClient.tcp(first.port())) {
                client.hello();
                client.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
                client.sendMessage(1, Messages.to(Q).persistent(true).text("order"));
                for (WireXid xid : java.util.List.of(rolledBack, committed)) {
                    assertThat(xa(client, corr -> new Frame.XaStart(corr, 1, xid, 0))).isEqualTo(XaCode.XA_OK);
                    client.sendMessage(1, Messages.to(Q).persistent(true).text("from " + xid));
                    assertThat(xa(client, corr -> new Frame.XaEnd(corr, 1, xid, 0x04000000)))
                            .isEqualTo(XaCode.XA_OK);
                    assertThat(xa(client, corr -> new Frame.XaPrepare(corr, xid))).isEqualTo(XaCode.XA_OK);
                }
            }
            assertThat(first.describeInDoubtBranches()).hasSize(2);
            first.decideInDoubtBranch(rolledBack.toString(), false);
            first.decideInDoubtBranch(committed.toString(), true);
        }
        try (Broker second = new Broker(config)) {
            second.start();
            assertThat(second.queueDepth("durable")).as("the order and the committed branch's send").isEqualTo(2);
            assertThat(second.describeInDoubtBranches()).anySatisfy(l -> assertThat(l)
                    .startsWith("xid=" + committed + " state=heuristically-committed decided=before-restart"));
            try (WireTestClient client = WireTestClient.tcp(second.port())) {
                client.hello();
                assertThat(recover(client)).containsExactlyInAnyOrder(rolledBack, committed);
                assertThat(xa(client, corr -> new Frame.XaCommit(corr, rolledBack, false)))
                        .isEqualTo(XaCode.XA_HEURRB);
                assertThat(xa(client, corr -> new Frame.XaRollback(corr, committed))).isEqualTo(XaCode.XA_HEURCOM);
                assertThat(xa(client, corr -> new Frame.XaForget(corr, rolledBack))).isEqualTo(XaCode.XA_OK);
            }
        }
        try (Broker third = new Broker(config)) {
            third.start();
            try (WireTestClient client = WireTestClient.tcp(third.port())) {
                client.hello();
                assertThat(recover(client)).as("the forgotten decision is gone from the store")
                        .containsExactly(committed);
                assertThat(xa(client, corr -> new Frame.XaForget(corr, committed))).isEqualTo(XaCode.XA_OK);
                assertThat(recover(client)).isEmpty();
            }
            assertThat(third.queueDepth("durable")).isEqualTo(2);
        }
    }
}
