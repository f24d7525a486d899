package io.tern.broker.management;

/**
 * What a running broker tells operators through JMX, registered as {@code io.tern:type=Broker,name=NAME} in the
 * platform MBean server (jconsole, VisualVM, jmxterm or any JMX client can read it; see docs/broker.md).
 */
public interface BrokerControlMXBean {
    /** The broker's name. */
    String getName();

    /** The software version. */
    String getVersion();

    /** The store's kind, e.g. {@code journal}. */
    String getStoreKind();

    /** The bytes the store takes, as its usage limit counts them. */
    long getStoreUsedBytes();

    /** Open client connections. */
    int getConnectionCount();

    /**
     * What takes the store's space: one line per data file (or other unit of storage), oldest first, saying what
     * keeps it: which destinations and messages, which durable subscriptions, which prepared transactions. The same
     * answer {@code ./tern journal why DIR} gives for a stopped broker's journal.
     */
    String[] describeStoreSpace();
}
