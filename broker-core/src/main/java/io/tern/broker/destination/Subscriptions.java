package io.tern.broker.destination;

import io.tern.broker.dispatch.DeliverySource;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.dispatch.Subscriber;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import io.tern.jms.wire.ErrorCode;
import jakarta.jms.InvalidSelectorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's named topic subscriptions, by the rules of Jakarta Messaging 3.1 (6.11, 8.3):
 * <ul>
 * <li>Durable subscriptions, shared or not, are named by client id and name (a shared one may have no client id).
 *     They outlive their consumers and the broker (their record and persistent messages are in the store) until
 *     unsubscribed. An unshared one needs a client id and takes one consumer at a time. Opening one with another
 *     topic, selector or noLocal while it has no consumer replaces it: its messages are dropped.</li>
 * <li>Shared non-durable subscriptions are named the same way in a namespace of their own, and end when their last
 *     consumer closes.</li>
 * <li>A shared and an unshared durable subscription may not have the same name and client id; a shared subscription
 *     opened with another topic or selector while it has consumers is refused.</li>
 * </ul>
 * Refusals are {@link ErrorCode#ILLEGAL_STATE} (a JMSException, as the spec asks); an unknown subscription to
 * unsubscribe is {@link ErrorCode#INVALID_DESTINATION}. Changes take this registry's lock; they are rare.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    /** Every durable subscription's store container name starts with this; no queue may have such a name. */
    public static final String CONTAINER_PREFIX = "$subscription:";

    private final Store store;
    private final Function<String, Topic> topics;
    private final Map<Key, TopicSubscription> durable = new HashMap<>();
    private final Map<Key, TopicSubscription> sharedNonDurable = new HashMap<>();

    private record Key(String clientId, String name) {
    }

    /** A consumer attached to a subscription, and the store writes (if any) that made it durable. */
    public record Opened(Subscription subscription, CompletableFuture<Void> stored) {
    }

    Subscriptions(Store store, Function<String, Topic> topics) {
        this.store = store;
        this.topics = topics;
    }

    /** True when {@code name} is a subscription's store container (so not a queue). */
    public static boolean isContainer(String name) {
        return name.startsWith(CONTAINER_PREFIX);
    }

    /**
     * Attaches {@code subscriber} to the durable or shared subscription {@code r} names on {@code topic}, making
     * (or replacing) the subscription as the rules above say.
     *
     * @throws SubscriptionException when the rules forbid it; its message names the subscription and client id
     */
    public synchronized Opened open(Topic topic, SubscriptionRequest r, Subscriber subscriber, int prefetch)
            throws SubscriptionException {
        return r.durable() ? openDurable(topic, r, subscriber, prefetch)
                : new Opened(openSharedNonDurable(topic, r, subscriber, prefetch),
                CompletableFuture.completedFuture(null));
    }

    private Opened openDurable(Topic topic, SubscriptionRequest r, Subscriber subscriber, int prefetch)
            throws SubscriptionException {
        if (!r.shared() && r.clientId() == null) {
            throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, r.describe() + " needs a client id: set one on"
                    + " the connection, or use a shared durable subscription");
        }
        Key key = new Key(r.clientId(), r.name());
        TopicSubscription existing = durable.get(key);
        CompletableFuture<Void> stored = CompletableFuture.completedFuture(null);
        if (existing != null) {
            StoredSubscription old = existing.durable();
            if (old.shared() != r.shared()) {
                throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, r.describe() + " cannot be opened: "
                        + (old.shared() ? "a shared" : "an unshared") + " durable subscription of that name and"
                        + " client id exists (on topic '" + old.topic() + "')");
            }
            if (!r.shared() && existing.consumerCount() > 0) {
                throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, r.describe() + " already has an active"
                        + " consumer; an unshared durable subscription takes one consumer at a time");
            }
            if (sameDefinition(old, topic, r)) {
                return new Opened(existing.attach(subscriber, prefetch), stored);
            }
            if (existing.consumerCount() > 0) {
                throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, r.describe() + " has active consumers on"
                        + " topic '" + old.topic() + "' with selector " + quote(old.selector())
                        + "; it cannot be changed to topic '" + topic.name() + "' with selector "
                        + quote(r.selector()) + " until they close");
            }
            LOG.info("TERN-B0311 {} replaced: topic '{}' selector {} noLocal {} becomes topic '{}' selector {} noLocal"
                    + " {}; its {} pending message(s) are dropped", r.describe(), old.topic(), quote(old.selector()),
                    old.noLocal(), topic.name(), quote(r.selector()), r.noLocal(), existing.pendingCount());
            durable.remove(key);
            existing.close();
            stored = store.removeSubscription(old.container());
        }
        StoredSubscription record = new StoredSubscription(r.clientId(), r.name(), topic.name(), r.selector(),
                r.noLocal(), r.shared(), CONTAINER_PREFIX + UUID.randomUUID());
        stored = stored.thenCombine(store.addSubscription(record), (a, b) -> null);
        TopicSubscription s = newDurable(topic, record, r.filter());
        return new Opened(s.attach(subscriber, prefetch), stored);
    }

    private TopicSubscription newDurable(Topic topic, StoredSubscription record, MessageFilter filter) {
        TopicSubscription s = topic.newSubscription(filter, null, record.noLocal() ? record.clientId() : null,
                record, left -> { });
        durable.put(new Key(record.clientId(), record.name()), s);
        return s;
    }

    private Subscription openSharedNonDurable(Topic topic, SubscriptionRequest r, Subscriber subscriber,
                                              int prefetch) throws SubscriptionException {
        Key key = new Key(r.clientId(), r.name());
        TopicSubscription existing = sharedNonDurable.get(key);
        if (existing != null) {
            if (existing.topic() != topic || !Objects.equals(existing.selectorText(), r.selector())) {
                throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, r.describe() + " exists on topic '"
                        + existing.topic().name() + "' with selector " + quote(existing.selectorText())
                        + "; it cannot be opened on topic '" + topic.name() + "' with selector "
                        + quote(r.selector()) + " while it has consumers");
            }
            return existing.attach(subscriber, prefetch);
        }
        TopicSubscription s = topic.newSubscription(r.filter(), null, null, null, this::lastSharedConsumerLeft);
        s.selectorText(r.selector());
        sharedNonDurable.put(key, s);
        return s.attach(subscriber, prefetch);
    }

    private synchronized void lastSharedConsumerLeft(TopicSubscription s) {
        if (s.consumerCount() == 0 && sharedNonDurable.values().remove(s)) {
            s.close();
        }
    }

    /**
     * Deletes the durable subscription {@code name} of {@code clientId} (null: made without a client id) and its
     * messages. Completes when the store has forgotten it.
     *
     * @throws SubscriptionException INVALID_DESTINATION when there is none, ILLEGAL_STATE while it has a consumer or
     *                               delivered messages not yet acknowledged
     */
    public synchronized CompletableFuture<Void> unsubscribe(String clientId, String name)
            throws SubscriptionException {
        String who = "durable subscription '" + name + "' "
                + (clientId == null ? "(no client id)" : "of client id '" + clientId + "'");
        Key key = new Key(clientId, name);
        TopicSubscription s = durable.get(key);
        if (s == null) {
            throw new SubscriptionException(ErrorCode.INVALID_DESTINATION, "there is no " + who);
        }
        if (s.consumerCount() > 0) {
            throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, who + " has an active consumer; close it"
                    + " before unsubscribing");
        }
        if (s.inFlightCount() > 0) {
            throw new SubscriptionException(ErrorCode.ILLEGAL_STATE, who + " has " + s.inFlightCount()
                    + " delivered message(s) not yet acknowledged or committed; settle them before unsubscribing");
        }
        durable.remove(key);
        s.close();
        return store.removeSubscription(s.durable().container());
    }

    /** Rebuilds the durable subscriptions and their messages from the store. Call once, before clients connect. */
    synchronized void recover() {
        for (StoredSubscription record : store.subscriptions()) {
            MessageFilter filter;
            try {
                filter = MessageFilter.parse(record.selector());
            } catch (InvalidSelectorException e) {
                LOG.error("TERN-B0312 durable subscription '{}' of client id {} has a selector this broker cannot"
                        + " parse ({}); it is left in the store but not served", record.name(), record.clientId(),
                        e.getMessage());
                continue;
            }
            Topic topic = topics.apply(record.topic());
            TopicSubscription s = newDurable(topic, record, filter);
            topic.recovered(Math.max(store.maxId(record.container()), store.deliveredMark(record.container())));
            s.recover();
            topic.audit().recover(store, record.container());
        }
    }

    /** The broker is stopping cleanly: each durable subscription's delivered mark comes down to what was delivered. */
    void settleDeliveredMarks() {
        List<TopicSubscription> all;
        synchronized (this) {
            all = List.copyOf(durable.values());
        }
        all.forEach(TopicSubscription::settleDeliveredMark);
    }

    /**
     * For a prepared XA branch recovered at start: its add of {@code stored} to the durable subscription whose
     * container is {@code container}, routed into it when the branch commits. Empty when no durable subscription
     * has that container (it was deleted).
     */
    public synchronized Optional<PreparedSend> preparedAdd(String container, StoredMessage stored) {
        return live(container).map(s -> s.preparedAdd(stored));
    }

    /**
     * For a prepared XA branch recovered at start: locks message {@code id} of the durable subscription whose
     * container is {@code container}, which the branch consumed. Empty when no durable subscription holds it.
     */
    public synchronized Optional<Locked> lockPrepared(String container, long id) {
        return live(container).flatMap(s -> Optional.ofNullable(s.lockPrepared(id)).map(e -> new Locked(e, s)));
    }

    /** A message locked for a prepared branch, and the subscription it goes back to or is settled in. */
    public record Locked(QueueEntry entry, DeliverySource source) {
    }

    private Optional<TopicSubscription> live(String container) {
        return durable.values().stream().filter(s -> s.durable().container().equals(container)).findFirst();
    }

    /** True when {@code container} belongs to a live durable subscription. */
    synchronized boolean isLiveContainer(String container) {
        return durable.values().stream().anyMatch(s -> s.durable().container().equals(container));
    }

    private static boolean sameDefinition(StoredSubscription old, Topic topic, SubscriptionRequest r) {
        return old.topic().equals(topic.name()) && Objects.equals(old.selector(), r.selector())
                && old.noLocal() == r.noLocal();
    }

    private static String quote(String selector) {
        return selector == null ? "(none)" : "'" + selector + "'";
    }
}
