package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.dispatch.DispatchQueue;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.Store;
import io.tern.broker.testing.Messages;
import io.tern.broker.testing.NoSource;
import io.tern.broker.testing.RecordingSubscriber;
import io.tern.jms.wire.MessageEnvelope;
import io.tern.jms.wire.WireDestination;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The delivered mark in front of a {@link DispatchQueue}: nothing persistent goes out above the durable mark. */
class DeliveredMarkTest {
    private static final WireDestination Q = WireDestination.queue("q");

    private final MemoryStore memory = new MemoryStore();
    /** Mark writes held back until the test completes them. */
    private final List<CompletableFuture<Void>> markWrites = new ArrayList<>();
    private final List<Long> marksRequested = new ArrayList<>();
    private boolean holdMarks = true;
    private final Store store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(),
            new Class<?>[] {Store.class}, (proxy, method, args) -> {
                if (method.getName().equals("markDelivered")) {
                    marksRequested.add((Long) args[1]);
                    if (!holdMarks) {
                        return memory.markDelivered((String) args[0], (Long) args[1]);
                    }
                    CompletableFuture<Void> held = new CompletableFuture<>();
                    markWrites.add(held);
                    return held.thenCompose(v -> memory.markDelivered((String) args[0], (Long) args[1]));
                }
                try {
                    return method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final RecordingSubscriber consumer = new RecordingSubscriber();
    private final List<QueueEntry> delivered = consumer.delivered;

    private static QueueEntry entry(long id, boolean persistent) {
        byte[] envelope = Messages.to(Q).persistent(persistent).text("m" + id);
        return new QueueEntry(new BrokerMessage(MessageEnvelope.parse(envelope), null), id);
    }

    private DispatchQueue queueWith(DeliveredMark mark) {
        DispatchQueue queue = new DispatchQueue(new NoSource(), e -> { }, io.tern.broker.paging.MemoryBudget.Account.NONE, mark);
        mark.resumeWith(queue::dispatch);
        queue.attach(consumer, 100_000);
        return queue;
    }

    @Test
    void aPersistentEntryWaitsForItsMarkThenStreamsWithoutWaiting() {
        DeliveredMark mark = new DeliveredMark(store, "q", "queue 'q'", Long.MIN_VALUE, Runnable::run);
        DispatchQueue queue = queueWith(mark);
        queue.enqueue(entry(1, true));
        queue.enqueue(entry(2, false));
        assertThat(delivered).as("held until the mark is durable").isEmpty();
        assertThat(marksRequested).containsExactly(1 + DeliveredMark.STEP);

        markWrites.get(0).complete(null);
        assertThat(delivered).extracting(QueueEntry::sequence).containsExactly(1L, 2L);

        // up to half a step below the mark: no write; past it, the next step is written while deliveries go on
        for (long id = 3; id <= DeliveredMark.STEP / 2 + 1; id++) {
            queue.enqueue(entry(id, true));
        }
        assertThat(marksRequested).hasSize(1);
        queue.enqueue(entry(DeliveredMark.STEP / 2 + 2, true));
        assertThat(marksRequested).hasSize(2);
        assertThat(delivered).hasSize((int) (DeliveredMark.STEP / 2 + 2)).as("nothing waited");
        assertThat(memory.deliveredMark("q")).isEqualTo(1 + DeliveredMark.STEP);
    }

    @Test
    void aNonPersistentEntryNeverWaits() {
        DeliveredMark mark = new DeliveredMark(store, "q", "queue 'q'", Long.MIN_VALUE, Runnable::run);
        DispatchQueue queue = queueWith(mark);
        queue.enqueue(entry(1, false));
        assertThat(delivered).hasSize(1);
        assertThat(marksRequested).isEmpty();
    }

    @Test
    void aCleanStopLowersTheMarkToTheHighestDeliveredButNotBelowTheRecoveredOne() {
        DeliveredMark mark = new DeliveredMark(store, "q", "queue 'q'", 5, Runnable::run);
        DispatchQueue queue = queueWith(mark);
        queue.enqueue(entry(3, true));
        assertThat(delivered).hasSize(1);
        queue.enqueue(entry(9, true));
        markWrites.get(0).complete(null);
        assertThat(delivered).hasSize(2);
        holdMarks = false;
        mark.settle();
        assertThat(memory.deliveredMark("q")).isEqualTo(9);

        DeliveredMark idle = new DeliveredMark(store, "r", "queue 'r'", 5, Runnable::run);
        idle.settle();
        assertThat(marksRequested).as("nothing delivered, nothing to lower").hasSize(2);
    }
}
