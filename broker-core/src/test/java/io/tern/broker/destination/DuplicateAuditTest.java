package io.tern.broker.destination;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.MemoryStore;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.testing.Messages;
import io.tern.jms.wire.DestinationKind;
import io.tern.jms.wire.WireDestination;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The producer audit that drops a failover client's re-sent copy of a message the destination has already. */
class DuplicateAuditTest {
    private final DuplicateAudit audit = new DuplicateAudit("orders");
    private final AtomicInteger sends = new AtomicInteger();

    private CompletableFuture<Void> send(String id) {
        return audit.send(id, "ID:conn-2", () -> {
            sends.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void aCopyOfAnAcceptedIdIsAnsweredWithoutBeingSent() {
        assertThat(send("ID:conn-1:1")).isCompleted();
        assertThat(send("ID:conn-1:2")).isCompleted();
        assertThat(send("ID:conn-1:1")).isCompleted();
        assertThat(sends).hasValue(2);
    }

    @Test
    void producersAreTrackedApartAndIdsOfAnotherFormAreNeverDuplicates() {
        send("ID:conn-1:1");
        send("ID:conn-9:1");
        send("custom-id");
        send("custom-id");
        send(null);
        send(null);
        assertThat(sends).hasValue(6);
    }

    @Test
    void aCopyOfASendStillBeingStoredIsAnsweredWhenTheFirstIs() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        CompletableFuture<Void> first = audit.send("ID:c:7", "ID:c", () -> storing);
        CompletableFuture<Void> copy = send("ID:c:7");
        assertThat(copy).isNotDone();
        assertThat(sends).hasValue(0);
        storing.complete(null);
        assertThat(first).isCompleted();
        assertThat(copy).isCompleted();
    }

    @Test
    void aSendTheStoreRefusedDoesNotMakeItsCopyADuplicate() {
        CompletableFuture<Void> storing = new CompletableFuture<>();
        audit.send("ID:c:3", "ID:c", () -> storing);
        storing.completeExceptionally(new IllegalStateException("disk full"));
        send("ID:c:3");
        assertThat(sends).hasValue(1);
        audit.send("ID:c:4", "ID:c", () -> CompletableFuture.failedFuture(new IllegalStateException("refused")));
        send("ID:c:4");
        assertThat(sends).hasValue(2);
    }

    @Test
    void theWindowRemembersTheLastSequencesOfAProducerOnly() {
        for (int i = 1; i <= DuplicateAudit.WINDOW + 10; i++) {
            send("ID:c:" + i);
        }
        int sent = sends.get();
        send("ID:c:" + (DuplicateAudit.WINDOW + 10)); // newest: a duplicate
        send("ID:c:11"); // oldest still in the window: a duplicate
        assertThat(sends).hasValue(sent);
        send("ID:c:5"); // older than the window: not known any more, so accepted
        assertThat(sends).hasValue(sent + 1);
        send("ID:c:" + (3 * DuplicateAudit.WINDOW)); // a jump clears the window
        send("ID:c:" + (DuplicateAudit.WINDOW + 10));
        assertThat(sends).hasValue(sent + 3);
    }

    @Test
    void theWindowIsRebuiltFromTheNewestStoredMessagesAtStart() {
        MemoryStore store = new MemoryStore();
        Messages to = Messages.to(new WireDestination(DestinationKind.QUEUE, "orders"));
        store.add("orders", new StoredMessage(1, to.messageId("ID:old-conn:41").text("a"))).join();
        store.add("orders", new StoredMessage(2, to.messageId("ID:old-conn:42").text("b"))).join();
        audit.recover(store, "orders");
        send("ID:old-conn:42");
        send("ID:old-conn:41");
        assertThat(sends).hasValue(0);
        send("ID:old-conn:43");
        assertThat(sends).hasValue(1);
    }
}
