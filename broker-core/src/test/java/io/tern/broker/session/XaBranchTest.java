package io.tern.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.testing.BrokerExtension;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.AckKind;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.time.Duration;
import java.util.List;
import javax.transaction.xa.XAResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker's XA branches over the wire: the state machine, its error codes and the effect of each outcome. */
@Timeout(20)
class XaBranchTest {
    private static final WireDestination IN = WireDestination.queue("in");
    private static final WireDestination OUT = WireDestination.queue("out");
    private static final WireXid XID = new WireXid(1, new byte[] {1}, new byte[] {2});

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private static int xa(WireTestClient c, java.util.function.IntFunction<Frame> request) {
        int corr = c.nextCorrelationId();
        c.send(request.apply(corr));
        Frame.XaResult r = c.expect(Frame.XaResult.class);
        assertThat(r.correlationId()).isEqualTo(corr);
        return r.code();
    }

    private static List<WireXid> recover(WireTestClient c) {
        c.send(new Frame.XaRecover(c.nextCorrelationId()));
        return c.expect(Frame.XaRecoverOk.class).xids();
    }

    /** In a branch: receives the one message of IN and sends one to OUT; returns with the branch ended. */
    private void moveInBranch(WireTestClient c, WireXid xid) {
        c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
        c.sendMessage(1, Messages.to(IN).persistent(true).text("order"));
        assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, xid, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
        c.openConsumer(1, 1, IN, 10);
        Frame.Deliver d = c.expect(Frame.Deliver.class);
        c.ack(1, AckKind.CONSUMED, d.deliveryId());
        c.sendMessage(1, Messages.to(OUT).persistent(true).text("reply"));
        c.closeConsumer(1);
        assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, xid, XAResource.TMSUCCESS))).isEqualTo(XaCode.XA_OK);
    }

    @Test
    void twoPhaseCommitRoutesTheSendAndRemovesTheReceivedMessage() {
        try (WireTestClient c = broker.connected()) {
            moveInBranch(c, XID);
            assertThat(broker.get().queueDepth("out")).as("not routed before commit").isZero();
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).isEqualTo(XaCode.XA_OK);
            assertThat(recover(c)).containsExactly(XID);
            assertThat(broker.get().queueDepth("out")).isZero();
            assertThat(xa(c, corr -> new Frame.XaCommit(corr, XID, false))).isEqualTo(XaCode.XA_OK);
            assertThat(broker.get().queueDepth("out")).isEqualTo(1);
            assertThat(broker.get().queueDepth("in")).isZero();
            assertThat(recover(c)).isEmpty();
        }
    }

    @Test
    void rollbackOfAPreparedBranchReturnsTheMessageRedeliveredAndSendsNothing() {
        try (WireTestClient c = broker.connected()) {
            moveInBranch(c, XID);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaRollback(corr, XID))).isEqualTo(XaCode.XA_OK);
            assertThat(broker.get().queueDepth("out")).isZero();
            c.openConsumer(2, 1, IN, 10);
            Frame.Deliver again = c.expect(Frame.Deliver.class);
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(xa(c, corr -> new Frame.XaRollback(corr, XID))).isEqualTo(XaCode.XAER_NOTA);
        }
    }

    @Test
    void onePhaseCommitOfAnUnpreparedBranchActsLikeALocalCommit() {
        try (WireTestClient c = broker.connected()) {
            moveInBranch(c, XID);
            assertThat(xa(c, corr -> new Frame.XaCommit(corr, XID, true))).isEqualTo(XaCode.XA_OK);
            assertThat(broker.get().queueDepth("out")).isEqualTo(1);
            assertThat(broker.get().queueDepth("in")).isZero();
        }
    }

    @Test
    void aPreparedBranchOutlivesItsConnectionAndIsCommittedFromAnother() {
        try (WireTestClient c = broker.connected(); WireTestClient other = broker.connected()) {
            moveInBranch(c, XID);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).isEqualTo(XaCode.XA_OK);
            c.close();
            assertThat(recover(other)).containsExactly(XID);
            assertThat(broker.get().queueDepth("in")).as("the consumed message stays locked").isEqualTo(1);
            assertThat(xa(other, corr -> new Frame.XaCommit(corr, XID, false))).isEqualTo(XaCode.XA_OK);
            assertThat(broker.get().queueDepth("out")).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> broker.get().queueDepth("in") == 0);
        }
    }

    @Test
    void anUnpreparedBranchIsRolledBackWhenItsConnectionEnds() {
        try (WireTestClient c = broker.connected(); WireTestClient other = broker.connected()) {
            moveInBranch(c, XID);
            c.close();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    xa(other, corr -> new Frame.XaRollback(corr, XID)) == XaCode.XAER_NOTA);
            assertThat(broker.get().queueDepth("out")).isZero();
            assertThat(broker.get().queueDepth("in")).isEqualTo(1);
        }
    }

    @Test
    void theStateMachineRefusesWhatTheXaSpecificationForbids() {
        try (WireTestClient c = broker.connected()) {
            c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            c.openSession(2, SessionMode.AUTO_ACKNOWLEDGE);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMJOIN))).isEqualTo(XaCode.XAER_NOTA);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, 0x7))).isEqualTo(XaCode.XAER_INVAL);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 2, XID, XAResource.TMNOFLAGS)))
                    .isEqualTo(XaCode.XAER_DUPID);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMJOIN))).as("session busy")
                    .isEqualTo(XaCode.XAER_PROTO);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).as("not ended").isEqualTo(XaCode.XAER_PROTO);
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 2, XID, XAResource.TMSUCCESS)))
                    .isEqualTo(XaCode.XAER_PROTO);
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMSUSPEND))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 2, XID, XAResource.TMRESUME)))
                    .as("not suspended by that session").isEqualTo(XaCode.XAER_PROTO);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMRESUME))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMSUCCESS))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaCommit(corr, XID, false))).as("not prepared")
                    .isEqualTo(XaCode.XAER_PROTO);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).as("did nothing").isEqualTo(XaCode.XA_RDONLY);
            assertThat(xa(c, corr -> new Frame.XaCommit(corr, XID, false))).as("forgotten")
                    .isEqualTo(XaCode.XAER_NOTA);
            assertThat(xa(c, corr -> new Frame.XaForget(corr, XID))).isEqualTo(XaCode.XAER_NOTA);
        }
    }

    @Test
    void aBranchEndedWithTmfailIsRolledBackAtPrepare() {
        try (WireTestClient c = broker.connected()) {
            c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
            c.sendMessage(1, Messages.to(OUT).persistent(true).text("never"));
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMFAIL))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).isEqualTo(XaCode.XA_RBROLLBACK);
            assertThat(xa(c, corr -> new Frame.XaRollback(corr, XID))).isEqualTo(XaCode.XAER_NOTA);
            assertThat(broker.get().queueDepth("out")).isZero();
        }
    }

    @Test
    void aTopicSendInABranchIsPublishedOnlyWhenItCommits() {
        WireDestination news = WireDestination.topic("news");
        try (WireTestClient c = broker.connected(); WireTestClient subscriber = broker.connected()) {
            subscriber.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            subscriber.openConsumer(1, 1, news, 10);
            c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            WireXid rolledBack = new WireXid(1, new byte[] {3}, new byte[] {4});
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, rolledBack, XAResource.TMNOFLAGS)))
                    .isEqualTo(XaCode.XA_OK);
            c.sendMessage(1, Messages.to(news).persistent(true).text("never"));
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, rolledBack, XAResource.TMSUCCESS)))
                    .isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, rolledBack))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaRollback(corr, rolledBack))).isEqualTo(XaCode.XA_OK);

            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
            c.sendMessage(1, Messages.to(news).persistent(true).text("published"));
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMSUCCESS))).isEqualTo(XaCode.XA_OK);
            subscriber.expectNothing(Duration.ofMillis(200));
            assertThat(xa(c, corr -> new Frame.XaCommit(corr, XID, true))).isEqualTo(XaCode.XA_OK);
            assertThat(Messages.textOf(subscriber.expect(Frame.Deliver.class).envelope())).isEqualTo("published");
        }
    }

    @Test
    void outsideABranchTheSessionSendsAtOnce() {
        try (WireTestClient c = broker.connected()) {
            c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMSUCCESS))).isEqualTo(XaCode.XA_OK);
            c.sendMessage(1, Messages.to(OUT).persistent(true).text("plain"));
            assertThat(broker.get().queueDepth("out")).isEqualTo(1);
        }
    }
}
