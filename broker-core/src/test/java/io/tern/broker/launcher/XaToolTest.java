package io.tern.broker.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.WireTestClient;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import io.tern.jms.wire.WireDestination;
import io.tern.jms.wire.WireXid;
import io.tern.jms.wire.XaCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;
import java.util.function.IntFunction;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tern xa}: an operator lists a running broker's in-doubt branches and rolls one back by hand, over a real
 * JMX connector on 127.0.0.1 as jconsole or a remote tool would reach it.
 */
@Timeout(60)
class XaToolTest {
    private static final WireXid XID = new WireXid(0x7e57, new byte[] {0x0a, 0x0b}, new byte[] {1});

    @TempDir
    Path dir;
    private Broker broker;
    private JMXConnectorServer jmx;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        broker = new Broker(BrokerConfig.builder().name("xa-tool").port(0).dataDir(dir).store("memory")
                .heartbeatMillis(0).build());
        broker.start();
        RMIServerSocketFactory loopback = port -> new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        jmx = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1"),
                Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback),
                ManagementFactory.getPlatformMBeanServer());
        jmx.start();
    }

    @AfterEach
    void stop() throws Exception {
        jmx.stop();
        broker.stop();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return new XaTool(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static int xa(WireTestClient c, IntFunction<Frame> request) {
        int corr = c.nextCorrelationId();
        c.send(request.apply(corr));
        return c.expect(Frame.XaResult.class).code();
    }

    @Test
    void anOperatorListsAnInDoubtBranchAndRollsItBack() {
        // always --name: brokers of other tests may run in this JVM too
        String url = jmx.getAddress().toString();
        assertThat(run("--jmx-url", url, "--name", "xa-tool", "list")).isZero();
        assertThat(out()).contains("no in-doubt XA branches");
        try (WireTestClient c = WireTestClient.tcp(broker.port())) {
            c.hello();
            c.openSession(1, SessionMode.AUTO_ACKNOWLEDGE);
            assertThat(xa(c, corr -> new Frame.XaStart(corr, 1, XID, XAResource.TMNOFLAGS))).isEqualTo(XaCode.XA_OK);
            c.sendMessage(1, Messages.to(WireDestination.queue("out")).persistent(true).text("reply"));
            assertThat(xa(c, corr -> new Frame.XaEnd(corr, 1, XID, XAResource.TMSUCCESS))).isEqualTo(XaCode.XA_OK);
            assertThat(xa(c, corr -> new Frame.XaPrepare(corr, XID))).isEqualTo(XaCode.XA_OK);
        }
        assertThat(run("--jmx-url", url, "--name", "xa-tool", "list")).as(err()).isZero();
        assertThat(out()).startsWith("xid=32343:0a0b:01 state=prepared").contains("sends=1 [queue://out ");

        assertThat(run("--jmx-url", url, "--name", "xa-tool", "rollback", "32343:0a0b:01")).as(err()).isZero();
        assertThat(out()).contains("heuristically rolled back");
        assertThat(run("--jmx-url", url, "--name", "xa-tool", "list")).isZero();
        assertThat(out()).startsWith("xid=32343:0a0b:01 state=heuristically-rolled-back");
        assertThat(broker.queueDepth("out")).isZero();

        assertThat(run("--jmx-url", url, "--name", "xa-tool", "commit", "32343:0a0b:01")).isEqualTo(XaTool.FAILED);
        assertThat(err()).contains("refused").contains("heuristically rolled back already");
        assertThat(run("--jmx-url", url, "--name", "xa-tool", "commit", "nonsense")).isEqualTo(XaTool.FAILED);
        assertThat(err()).contains("'nonsense' is not an xid");
        assertThat(run("--jmx-url", url, "--name", "other", "list")).isEqualTo(XaTool.FAILED);
        assertThat(err()).contains("no broker named 'other'");
    }

    @Test
    void aBadCommandLineIsUsageAndAnUnreachableBrokerAFailure() throws Exception {
        assertThat(run()).isEqualTo(XaTool.USAGE);
        assertThat(run("forget", "1:01:01")).isEqualTo(XaTool.USAGE);
        assertThat(err()).contains("unknown command 'forget'");
        assertThat(run("commit")).isEqualTo(XaTool.USAGE);
        assertThat(run("--jmx")).isEqualTo(XaTool.USAGE);
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("Usage: tern xa");
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        assertThat(run("--jmx", "127.0.0.1:" + free, "list")).isEqualTo(XaTool.FAILED);
        assertThat(err()).contains("cannot reach the broker's JMX");
    }
}
