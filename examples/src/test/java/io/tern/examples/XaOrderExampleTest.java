package io.tern.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.jms.client.TernXAConnectionFactory;
import jakarta.jms.XAConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link XaOrderExample#main} against a broker on the journal store and checks what it left behind. */
@Timeout(120)
class XaOrderExampleTest {
    private static final Pattern COMMITTED = Pattern.compile(
            "committed: {3}order (order-[0-9a-f]{8}): 1 row, confirmation 'confirmed \\1: 2 x tea'");
    private static final Pattern ROLLED_BACK = Pattern.compile("rolled back: order (order-[0-9a-f]{8}): 0 rows, no "
            + "confirmation; the order came back flagged redelivered \\(delivery 2\\)");

    @Test
    void theCommittedOrderIsEverywhereAndTheRolledBackOneNowhere(@TempDir Path dir) throws Exception {
        Broker broker = new Broker(BrokerConfig.builder().name("xa-example").tcpEnabled(false)
                .vmName("xa-example-test").dataDir(dir.resolve("broker")).store("journal").build());
        broker.start();
        String url = "vm://xa-example-test?create=false";
        try {
            String output = runMain(url, dir.resolve("work"));

            Matcher committed = COMMITTED.matcher(output);
            Matcher rolledBack = ROLLED_BACK.matcher(output);
            assertThat(committed.find()).as(output).isTrue();
            assertThat(rolledBack.find()).as(output).isTrue();
            assertThat(rows(dir.resolve("work"))).as("the committed order's row, and no other")
                    .containsExactly(committed.group(1));
            assertThat(broker.queueDepth(XaOrderExample.ORDERS)).isZero();
            assertThat(broker.queueDepth(XaOrderExample.CONFIRMATIONS)).isZero();
            try (XAConnection c = new TernXAConnectionFactory(url).createXAConnection()) {
                assertThat(c.createXASession().getXAResource()
                        .recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).as("nothing in doubt").isEmpty();
            }
        } finally {
            broker.stop();
        }
    }

    private static String runMain(String url, Path work) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            XaOrderExample.main(new String[] {url, work.toString()});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        return output;
    }

    private static List<String> rows(Path work) throws Exception {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:file:" + work.toAbsolutePath().resolve("orders"));
        List<String> ids = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
