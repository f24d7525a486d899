package io.tern.broker.management;

import io.tern.broker.Broker;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker's {@link BrokerControlMXBean}, and its registration in the platform MBean server. */
public final class BrokerControl implements BrokerControlMXBean {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerControl.class);

    private final Broker broker;
    private final ObjectName objectName;
    private boolean registered;

    private BrokerControl(Broker broker, ObjectName objectName) {
        this.broker = broker;
        this.objectName = objectName;
    }

    /** The name a broker called {@code brokerName} is registered under. */
    public static ObjectName objectName(String brokerName) {
        try {
            return ObjectName.getInstance("io.tern:type=Broker,name=" + ObjectName.quote(brokerName));
        } catch (JMException e) {
            throw new IllegalArgumentException("no JMX name for broker '" + brokerName + "': " + e, e);
        }
    }

    /**
     * Registers {@code broker}'s control. When another broker of the same name is registered already (several
     * brokers embedded in one JVM), this one is not registered and a line says so; the broker runs regardless.
     */
    public static BrokerControl register(Broker broker) {
        BrokerControl control = new BrokerControl(broker, objectName(broker.config().name()));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(control, control.objectName);
            control.registered = true;
            LOG.debug("TERN-B0012 broker '{}' registered in JMX as {}", broker.config().name(), control.objectName);
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("TERN-B0013 broker '{}' not registered in JMX: {} is taken by another broker of this name in "
                    + "this JVM; give each broker its own name", broker.config().name(), control.objectName);
        } catch (JMException e) {
            LOG.warn("TERN-B0013 broker '{}' not registered in JMX as {}: {}", broker.config().name(),
                    control.objectName, e.toString());
        }
        return control;
    }

    /** Removes the registration, if this control made one. */
    public void unregister() {
        if (!registered) {
            return;
        }
        registered = false;
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (InstanceNotFoundException e) {
            // someone removed it already
        } catch (JMException e) {
            LOG.warn("TERN-B0013 broker '{}' could not be removed from JMX: {}", broker.config().name(),
                    e.toString());
        }
    }

    /** True when this control is the one JMX shows for its name. */
    public boolean registered() {
        return registered;
    }

    public ObjectName name() {
        return objectName;
    }

    @Override
    public String getName() {
        return broker.config().name();
    }

    @Override
    public String getVersion() {
        return Broker.version();
    }

    @Override
    public String getStoreKind() {
        return broker.storeKind();
    }

    @Override
    public long getStoreUsedBytes() {
        return broker.storeUsedBytes();
    }

    @Override
    public int getConnectionCount() {
        return broker.connectionCount();
    }

    @Override
    public String[] describeStoreSpace() {
        return broker.describeStoreSpace().toArray(String[]::new);
    }

    @Override
    public String[] describeInDoubtBranches() {
        return broker.describeInDoubtBranches().toArray(String[]::new);
    }

    @Override
    public String commitInDoubtBranch(String xid) {
        return broker.decideInDoubtBranch(xid, true);
    }

    @Override
    public String rollbackInDoubtBranch(String xid) {
        return broker.decideInDoubtBranch(xid, false);
    }
}
