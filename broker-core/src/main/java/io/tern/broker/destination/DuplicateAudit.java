package io.tern.broker.destination;

import io.tern.broker.store.Store;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message ids one destination accepted lately, per producer, so that a message a failover client sends again
 * (its first send was stored but the answer was lost) is stored only once: ActiveMQ's producer audit. A Tern
 * message id is {@code ID:<connection>:<sequence>}; the connection part names the producer (a failover client
 * keeps it across reconnections) and the sequence only grows. For each of the last {@value #MAX_PRODUCERS}
 * producers the audit keeps a window of the last {@value #WINDOW} sequences; an id older than its window, or not
 * of that form, is never taken for a duplicate.
 *
 * <p>Only sends outside a transaction are checked: a failover client never re-sends a transacted one. A copy of a
 * send still being stored is answered when the first one is. At start the window is rebuilt from the newest
 * {@value #WINDOW} messages the store holds for the destination (its queue or each durable subscription's
 * container), so a client that fails over to a restarted broker or a standby on the same store is still
 * answered once; a message consumed and acknowledged before the restart is no longer in the store, so it is not
 * recognised then. Thread-safe.
 */
public final class DuplicateAudit {
    private static final Logger LOG = LoggerFactory.getLogger(DuplicateAudit.class);
    static final int WINDOW = 2048;
    static final int MAX_PRODUCERS = 1024;

    private final String destination;
    private final Map<String, Window> producers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_PRODUCERS;
        }
    };
    private final Map<String, CompletableFuture<Void>> inFlight = new HashMap<>();

    public DuplicateAudit(String destination) {
        this.destination = destination;
    }

    /**
     * Sends a message unless the destination accepted its id already: then the earlier send's completion (done, or
     * still in flight) answers the copy.
     */
    public CompletableFuture<Void> send(String messageId, String connectionId, Supplier<CompletableFuture<Void>> send) {
        Id id = Id.of(messageId);
        if (id == null) {
            return send.get();
        }
        CompletableFuture<Void> sent;
        synchronized (this) {
            CompletableFuture<Void> earlier = inFlight.get(messageId);
            if (earlier != null || window(id.producer, false) != null && window(id.producer, false).contains(id.seq)) {
                LOG.info("TERN-B0910 duplicate of message {} to {} from connection {} dropped; the destination"
                        + " accepted it already", messageId, destination, connectionId);
                return earlier != null ? earlier : CompletableFuture.completedFuture(null);
            }
            window(id.producer, true).add(id.seq);
            sent = send.get();
            if (!sent.isDone()) {
                inFlight.put(messageId, sent);
            }
        }
        if (!sent.isDone()) {
            sent.whenComplete((v, e) -> settled(messageId, id, e));
        } else if (sent.isCompletedExceptionally()) {
            settled(messageId, id, new RuntimeException());
        }
        return sent;
    }

    private synchronized void settled(String messageId, Id id, Throwable failure) {
        inFlight.remove(messageId);
        if (failure != null) {
            Window w = window(id.producer, false);
            if (w != null) {
                w.remove(id.seq); // not stored: a copy must be accepted
            }
        }
    }

    /** Rebuilds the windows from the newest messages a queue or subscription container holds. Call at start. */
    public void recover(Store store, String container) {
        long max = store.maxId(container);
        if (max == Long.MIN_VALUE) {
            return;
        }
        int[] seen = new int[1];
        store.recover(container, Math.max(Long.MIN_VALUE + WINDOW, max - WINDOW), WINDOW, m -> {
            try {
                String messageId = MessageEnvelope.parse(m.envelope()).header().messageId();
                Id id = Id.of(messageId);
                if (id != null) {
                    synchronized (this) {
                        window(id.producer, true).add(id.seq);
                    }
                    seen[0]++;
                }
            } catch (MalformedFrameException e) {
                // the queue's own recovery reports and removes it
            }
        });
        LOG.debug("TERN-B0911 duplicate audit of {} rebuilt from {} stored message(s) of {}", destination, seen[0],
                container);
    }

    private Window window(String producer, boolean create) {
        Window w = producers.get(producer);
        if (w == null && create) {
            w = new Window();
            producers.put(producer, w);
        }
        return w;
    }

    /** A message id split into producer and sequence; null when it is not of Tern's form. */
    private record Id(String producer, long seq) {
        static Id of(String messageId) {
            if (messageId == null) {
                return null;
            }
            int colon = messageId.lastIndexOf(':');
            if (colon <= 0 || colon == messageId.length() - 1) {
                return null;
            }
            try {
                long seq = Long.parseLong(messageId.substring(colon + 1));
                return seq >= 0 ? new Id(messageId.substring(0, colon), seq) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The last {@link #WINDOW} sequences of one producer: a ring of bits below the highest seen. */
    private static final class Window {
        private final BitSet bits = new BitSet(WINDOW);
        private long highest = -1;

        boolean contains(long seq) {
            return seq <= highest && seq > highest - WINDOW && bits.get((int) (seq % WINDOW));
        }

        void add(long seq) {
            if (seq > highest) {
                long from = Math.max(highest + 1, seq - WINDOW + 1);
                for (long s = from; s < seq; s++) {
                    bits.clear((int) (s % WINDOW));
                }
                if (seq - highest >= WINDOW) {
                    bits.clear();
                }
                highest = seq;
            } else if (seq <= highest - WINDOW) {
                return;
            }
            bits.set((int) (seq % WINDOW));
        }

        void remove(long seq) {
            if (seq <= highest && seq > highest - WINDOW) {
                bits.clear((int) (seq % WINDOW));
            }
        }
    }
}
