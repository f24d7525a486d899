package io.tern.examples.narayana;

import com.arjuna.ats.arjuna.common.CoordinatorEnvironmentBean;
import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.JTANodeNameXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.JTATransactionLogXAResourceOrphanFilter;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.List;

/**
 * Narayana, standalone, for one test JVM (surefire starts one JVM per test class here, because Narayana's
 * configuration and transaction manager are static): its object store in the test's directory, no sockets, and
 * recovery driven by the test through {@link #scan()} rather than by a background thread.
 */
final class Narayana {
    static final String NODE = "tern-test";

    private static Path objectStore;
    private static RecoveryManager recovery;

    private Narayana() {
    }

    /** Configures Narayana for this JVM on its first call; later calls must name the same object store. */
    static synchronized TransactionManager start(Path store) throws CoreEnvironmentBeanException {
        if (objectStore != null) {
            if (!objectStore.equals(store)) {
                throw new IllegalStateException("Narayana already runs on " + objectStore + " in this JVM, not "
                        + store);
            }
            return com.arjuna.ats.jta.TransactionManager.transactionManager();
        }
        String dir = store.toString();
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore").setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(dir);
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(NODE);
        CoordinatorEnvironmentBean coordinator = arjPropertyManager.getCoordinatorEnvironmentBean();
        coordinator.setTransactionStatusManagerEnable(false);
        coordinator.setDefaultTimeout(120);
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(NODE));
        jtaPropertyManager.getJTAEnvironmentBean().setXaResourceOrphanFilterClassNames(List.of(
                JTATransactionLogXAResourceOrphanFilter.class.getName(),
                JTANodeNameXAResourceOrphanFilter.class.getName()));
        RecoveryEnvironmentBean recoveryBean = recoveryPropertyManager.getRecoveryEnvironmentBean();
        recoveryBean.setRecoveryModuleClassNames(List.of(AtomicActionRecoveryModule.class.getName(),
                XARecoveryModule.class.getName()));
        recoveryBean.setExpiryScannerClassNames(List.of());
        recoveryBean.setRecoveryActivatorClassNames(List.of());
        recoveryBean.setRecoveryListener(false);
        // between a scan's two passes: Narayana's default is 10 s
        recoveryBean.setRecoveryBackoffPeriod(1);
        objectStore = store;
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** The recovery manager, created on first use; nothing runs until {@link #scan()}. */
    static synchronized RecoveryManager recovery() {
        if (recovery == null) {
            recovery = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        }
        return recovery;
    }

    static XARecoveryModule xaRecovery() {
        return recovery().getModules().stream().filter(XARecoveryModule.class::isInstance)
                .map(XARecoveryModule.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no XARecoveryModule among " + recovery().getModules()));
    }

    static void addHelpers(XAResourceRecoveryHelper... helpers) {
        for (XAResourceRecoveryHelper h : helpers) {
            xaRecovery().addXAResourceRecoveryHelper(h);
        }
    }

    static void removeHelpers(XAResourceRecoveryHelper... helpers) {
        for (XAResourceRecoveryHelper h : helpers) {
            xaRecovery().removeXAResourceRecoveryHelper(h);
        }
    }

    /** One recovery pass over every module, both phases; returns when it has finished. */
    static void scan() {
        recovery().scan();
    }
}
