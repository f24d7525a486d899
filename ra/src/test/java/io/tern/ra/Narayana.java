package io.tern.ra;

import com.arjuna.ats.arjuna.common.CoordinatorEnvironmentBean;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;

/**
 * Narayana, standalone, as the transaction manager of one test JVM (surefire starts one per test class): its
 * object store in a directory of the test, no sockets, no background recovery.
 */
final class Narayana {
    private static Path objectStore;

    private Narayana() {
    }

    static synchronized TransactionManager start(Path store) throws Exception {
        if (objectStore == null) {
            String dir = store.toString();
            BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
                    .setObjectStoreDir(dir);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(dir);
            arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("tern-ra-test");
            CoordinatorEnvironmentBean coordinator = arjPropertyManager.getCoordinatorEnvironmentBean();
            coordinator.setTransactionStatusManagerEnable(false);
            coordinator.setDefaultTimeout(120);
            objectStore = store;
        }
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }
}
