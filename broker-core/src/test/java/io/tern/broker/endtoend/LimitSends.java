package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import java.util.concurrent.CompletableFuture;

/** Sends of 1 KiB messages for the tests of the broker's limits (store, memory, producer flow). */
final class LimitSends {
    private LimitSends() {
    }

    /** A BytesMessage of 1 KiB of zeros. */
    static BytesMessage kib(Session s) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[1024]);
        return m;
    }

    /** Sends one 1 KiB message on another thread, for a send that is expected to wait. */
    static CompletableFuture<Void> sendInBackground(MessageProducer p, Session s) {
        return CompletableFuture.runAsync(() -> {
            try {
                p.send(kib(s));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Sends 1 KiB messages until one is refused (at most 200); checks the refusal is a ResourceAllocationException
     * whose message names each of {@code named}, and returns how many were sent before it.
     */
    static int sendUntilRefused(MessageProducer p, Session s, String... named) {
        int[] sent = {0};
        var refusal = assertThatThrownBy(() -> {
            for (int i = 0; i < 200; i++) {
                p.send(kib(s));
                sent[0]++;
            }
        }).isInstanceOf(ResourceAllocationException.class);
        for (String part : named) {
            refusal.hasMessageContaining(part);
        }
        return sent[0];
    }
}
