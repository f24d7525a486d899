package io.tern.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.peer.Background;
import io.tern.jms.peer.TestPeer;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's XAResource against a scripted broker: every code an XA_RESULT may carry becomes an XAException with
 * exactly that code (including those the Tern broker never sends, XA_HEURMIX and XA_HEURHAZ), the transaction
 * timeout travels in XA_START, and a connection lost while a request waits is XAER_RMFAIL.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class XaResourcePeerTest {
    private static final WireXid XID = new WireXid(0x7e57, new byte[] {1, 2}, new byte[] {3});

    private TestPeer peer;
    private XAConnection connection;
    private XAResource resource;

    @BeforeEach
    void connect() throws JMSException {
        peer = new TestPeer().autoHandshake().autoOk(Frame.SessionOpen.class, Frame.SessionClose.class,
                Frame.Close.class);
        connection = new TernXAConnectionFactory(peer.uri() + "?heartbeat=0&requestTimeout=5000")
                .createXAConnection();
        resource = connection.createXASession().getXAResource();
        peer.expect(Frame.SessionOpen.class);
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
        peer.close();
    }

    private static int codeOf(CompletableFuture<?> call) {
        try {
            call.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(XAException.class);
            return ((XAException) e.getCause()).errorCode;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call succeeded");
    }

    @ParameterizedTest
    @ValueSource(ints = {XaCode.XA_RBROLLBACK, XaCode.XA_RBINTEGRITY, XaCode.XA_RBTIMEOUT, XaCode.XA_HEURHAZ,
            XaCode.XA_HEURCOM, XaCode.XA_HEURRB, XaCode.XA_HEURMIX, XaCode.XAER_RMERR, XaCode.XAER_NOTA,
            XaCode.XAER_INVAL, XaCode.XAER_PROTO, XaCode.XAER_RMFAIL, XaCode.XAER_DUPID})
    void everyCodeOfAnXaResultIsTheXaExceptionsErrorCode(int code) {
        CompletableFuture<Void> commit = Background.run(() -> resource.commit(XID, false));
        Frame.XaCommit request = peer.expect(Frame.XaCommit.class);
        assertThat(request.xid()).isEqualTo(XID);
        peer.send(new Frame.XaResult(request.correlationId(), code, "scripted " + code));
        assertThat(codeOf(commit)).isEqualTo(code);
        assertThat(XaCode.XA_HEURMIX).isEqualTo(XAException.XA_HEURMIX);
        assertThat(XaCode.XA_HEURHAZ).isEqualTo(XAException.XA_HEURHAZ);
        assertThat(XaCode.XA_HEURCOM).isEqualTo(XAException.XA_HEURCOM);
        assertThat(XaCode.XA_HEURRB).isEqualTo(XAException.XA_HEURRB);
        assertThat(XaCode.XA_RBTIMEOUT).isEqualTo(XAException.XA_RBTIMEOUT);
    }

    @Test
    void theTransactionTimeoutTravelsInXaStartOfANewBranchOnly() throws Exception {
        assertThat(resource.setTransactionTimeout(30)).isTrue();
        CompletableFuture<Void> start = Background.run(() -> resource.start(XID, XAResource.TMNOFLAGS));
        Frame.XaStart first = peer.expect(Frame.XaStart.class);
        assertThat(first.timeoutSeconds()).isEqualTo(30);
        peer.send(new Frame.XaResult(first.correlationId(), XaCode.XA_OK, null));
        start.get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> end = Background.run(() -> resource.end(XID, XAResource.TMSUSPEND));
        Frame.XaEnd suspend = peer.expect(Frame.XaEnd.class);
        peer.send(new Frame.XaResult(suspend.correlationId(), XaCode.XA_OK, null));
        end.get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> resume = Background.run(() -> resource.start(XID, XAResource.TMRESUME));
        Frame.XaStart again = peer.expect(Frame.XaStart.class);
        assertThat(again.timeoutSeconds()).as("a resumed branch keeps its timeout").isZero();
        peer.send(new Frame.XaResult(again.correlationId(), XaCode.XA_RBTIMEOUT, "timed out"));
        assertThat(codeOf(resume)).isEqualTo(XAException.XA_RBTIMEOUT);

        resource.setTransactionTimeout(0);
        WireXid other = new WireXid(1, new byte[] {9}, new byte[0]);
        CompletableFuture<Void> plain = Background.run(() -> resource.start(other, XAResource.TMNOFLAGS));
        Frame.XaStart defaulted = peer.expect(Frame.XaStart.class);
        assertThat(defaulted.timeoutSeconds()).as("the broker's default").isZero();
        peer.send(new Frame.XaResult(defaulted.correlationId(), XaCode.XA_OK, null));
        plain.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionLostWhilePrepareWaitsIsRmfailAndSoIsEveryLaterCall() {
        CompletableFuture<Integer> prepare = Background.call(() -> resource.prepare(XID));
        peer.expect(Frame.XaPrepare.class);
        peer.dropConnection();
        assertThat(codeOf(prepare)).isEqualTo(XAException.XAER_RMFAIL);
        assertThat(codeOf(Background.run(() -> resource.start(XID, XAResource.TMNOFLAGS))))
                .isEqualTo(XAException.XAER_RMFAIL);
        assertThat(codeOf(Background.run(() -> resource.forget(XID)))).isEqualTo(XAException.XAER_RMFAIL);
    }
}
