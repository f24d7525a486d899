package io.tern.bench.classic;

import io.tern.bench.driver.BrokerConsole;
import java.io.File;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

/**
 * ActiveMQ Classic with KahaDB and its defaults (journalDiskSyncStrategy=ALWAYS, concurrentStoreAndDispatchQueues
 * on), TCP on 127.0.0.1 (a free port), data in {@code -data DIR}. JMX stays on as by default, but without its
 * remote connector, which would open a port on every address.
 */
public final class ClassicBroker {
    private ClassicBroker() {
    }

    public static void main(String[] args) throws Exception {
        File data = new File(BrokerConsole.option(args, "-data", "target/bench-data/classic"));
        BrokerService broker = new BrokerService();
        broker.setBrokerName("bench");
        broker.setDataDirectoryFile(data);
        broker.setUseShutdownHook(false);
        broker.getManagementContext().setCreateConnector(false);
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(new File(data, "kahadb"));
        broker.setPersistenceAdapter(kahaDb);
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        BrokerConsole.serve(connector.getConnectUri().getPort(), () -> {
            try {
                broker.stop();
                broker.waitUntilStopped();
            } catch (Exception e) {
                System.err.println("bench broker: ActiveMQ Classic did not stop cleanly: " + e);
            }
        });
    }
}
