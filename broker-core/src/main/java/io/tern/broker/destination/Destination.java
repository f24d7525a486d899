package io.tern.broker.destination;

import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;

/** A queue or a topic: what a SEND names and a consumer subscribes to. */
public sealed interface Destination permits Queue, Topic {

    String name();

    /**
     * Readies a message for routing: reserves its place and says what the store must add. A plain send routes it
     * at once ({@link #send}); a transaction routes it after its store batch commits.
     */
    PreparedSend prepare(BrokerMessage message);

    /** Routes a message outside a transaction; completes when it is durable (persistent) or accepted. */
    java.util.concurrent.CompletableFuture<Void> send(BrokerMessage message);

    /**
     * Adds a consumer: on a queue it competes with the others, on a topic it gets its own subscription to every
     * message published from now on.
     *
     * @param noLocal      skip messages sent by {@code connectionId} (topics only)
     * @param connectionId the consumer's connection
     * @param filter       the consumer's selector: on a queue it is given only matching messages (others wait for
     *                     another consumer), on a topic only matching messages enter its subscription
     */
    Subscription subscribe(Subscriber subscriber, int prefetch, boolean noLocal, String connectionId,
                           MessageFilter filter);

    DestinationStats stats();

    /**
     * Paces its producers to its consumers: the connection hands it the answer to a non-persistent send outside a
     * transaction, which it sends at once or once the consumers caught up.
     */
    io.tern.broker.flow.ProducerFlow flow();

    /** The ids of messages lately accepted outside transactions, to drop a failover client's re-sent copies. */
    DuplicateAudit audit();
}
