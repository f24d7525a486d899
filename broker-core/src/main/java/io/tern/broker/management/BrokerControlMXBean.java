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

    /**
     * Every in-doubt XA branch (prepared, waiting for its transaction manager's commit or rollback) and every branch
     * completed by hand that its transaction manager has not forgotten yet, oldest first, one line each:
     * {@code xid=FORMATID:GTRID:BQUAL state=prepared age=SECONDSs connection=ID sends=N [...] consumed=M [...]}, gtrid
     * and bqual in hex, each message as its destination and JMSMessageID.
     */
    String[] describeInDoubtBranches();

    /**
     * Commits the prepared branch {@code xid} (as listed: {@code formatId:gtrid:bqual}) by hand. Its transaction
     * manager later gets XA_HEURCOM (and then forgets the branch). Returns what was done.
     */
    String commitInDoubtBranch(String xid);

    /**
     * Rolls back the prepared branch {@code xid} by hand: its sends are dropped, its consumed messages come back.
     * Its transaction manager later gets XA_HEURRB. Returns what was done.
     */
    String rollbackInDoubtBranch(String xid);
}
