package io.tern.broker.endtoend;

import static io.tern.broker.endtoend.XaTesting.expectXa;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.Store;
import io.tern.jms.client.TernXAConnectionFactory;
import io.tern.jms.wire.WireXid;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * XAER_RMERR: when the store cannot complete a prepared branch, commit and rollback fail with XAER_RMERR and the
 * branch stays prepared (recover lists it) so that the transaction manager retries; so does a decision by hand.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XaStoreFailureTest {
    @TempDir
    Path dataDir;

    /** The memory store, except that phase two fails while {@code failing} is set. */
    private static Store failingPhaseTwo(AtomicBoolean failing) {
        MemoryStore real = new MemoryStore();
        Set<String> phaseTwo = Set.of("commitPrepared", "rollbackPrepared");
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (failing.get() && phaseTwo.contains(method.getName())) {
                        return CompletableFuture.failedFuture(new IOException("disk unplugged (test)"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }


    @Test
    void aStoreThatCannotCompleteAPreparedBranchIsRmerrAndTheBranchStaysPrepared() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        BrokerConfig config = BrokerConfig.builder().name("xa-rmerr").host("127.0.0.1").port(0).dataDir(dataDir)
                .heartbeatMillis(0).build();
        try (Broker broker = new Broker(config, failingPhaseTwo(failing))) {
            broker.start();
            TernXAConnectionFactory factory = new TernXAConnectionFactory("tcp://127.0.0.1:" + broker.port());
            try (XAConnection c = factory.createXAConnection()) {
                c.start();
                XASession session = c.createXASession();
                XAResource r = session.getXAResource();
                Xid xid = XaResourceTest.newXid();
                r.start(xid, XAResource.TMNOFLAGS);
                session.createProducer(session.createQueue("out")).send(session.createTextMessage("reply"));
                r.end(xid, XAResource.TMSUCCESS);
                assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);

                failing.set(true);
                expectXa(XAException.XAER_RMERR, () -> r.commit(xid, false));
                expectXa(XAException.XAER_RMERR, () -> r.rollback(xid));
                assertThatThrownBy(() -> broker.decideInDoubtBranch(WireXid.of(xid).toString(), true))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("disk unplugged");
                assertThat(r.recover(XAResource.TMSTARTRSCAN)).as("still prepared").containsExactly(xid);
                assertThat(broker.queueDepth("out")).isZero();

                failing.set(false);
                r.commit(xid, false);
                assertThat(r.recover(XAResource.TMSTARTRSCAN)).isEmpty();
            }
            try (Connection c = factory.createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(((TextMessage) s.createConsumer(s.createQueue("out")).receive(5000)).getText())
                        .isEqualTo("reply");
            }
        }
    }
}
