package io.tern.broker.flow;

import io.tern.broker.paging.MemoryBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the producers of one destination to its consumers: the credit a producer gets from the destination.
 *
 * <p>A destination has one {@link Lane} per container whose consumers it waits for: a queue has one, a topic one
 * per subscription. A lane is <em>behind</em> while it holds {@link FlowLimit#bytes()} or more of messages for its
 * consumers (waiting or delivered and not yet acknowledged), it has consumers, and they took a message within
 * {@link FlowLimit#stallMillis()}. While any lane is behind, the answer to a paced send (the broker routes the
 * message at once; only its answer waits) is held here: one held answer goes for each message the consumers of
 * the lane furthest behind take, and all go when no lane is behind any more. A client allows a bounded number of
 * unanswered sends ({@code producerWindow}), so a producer that sends faster than the consumers take goes at their
 * pace, and the destination holds about the limit plus the producers' windows.
 *
 * <p>Pacing never waits for nobody: a destination without consumers, or whose consumers took nothing for the stall
 * time (stopped, hung, or themselves waiting for this destination), is not behind, so its producers' messages
 * accumulate as they would without flow control (persistent ones page; see {@code memory-limit}). Which sends are
 * paced at all is the connection's choice (non-persistent sends outside transactions, from a connection that does
 * not itself consume from the destination).
 *
 * <p>Thread-safe. {@link Lane#taken()} runs under a dispatch queue's lock, so nothing here takes another lock than
 * its own, and never calls out while holding it.
 */
public final class ProducerFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerFlow.class);

    private final String description;
    private final FlowLimit limit;
    private final long stallNanos;
    private final ScheduledExecutorService timer;
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private volatile int heldCount;
    private boolean recheckScheduled;
    private volatile boolean stallLogged;

    /**
     * @param description what the destination is, for log lines: {@code queue 'orders'}
     * @param timer       runs the stall checks while answers are held
     */
    public ProducerFlow(String description, FlowLimit limit, ScheduledExecutorService timer) {
        this.description = description;
        this.limit = limit;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(limit.stallMillis());
        this.timer = timer;
    }

    /**
     * A new lane whose consumers producers wait for.
     *
     * @param account   what its container holds (waiting and delivered, not yet settled)
     * @param consumers how many consumers it has now; must not take a lock
     */
    public Lane lane(MemoryBudget.Account account, IntSupplier consumers) {
        Lane lane = new Lane(account, consumers);
        lanes.add(lane);
        return lane;
    }

    /**
     * Answers a send whose message was routed: now, or once the destination's consumers caught up (or stalled).
     * {@code answer} must not block; it may run on any thread.
     */
    public void answer(Runnable answer) {
        if (!behind(System.nanoTime())) {
            answer.run();
            return;
        }
        synchronized (lock) {
            held.add(answer);
            heldCount = held.size();
            scheduleRecheck();
        }
        // a consumer may have caught up between the test and the add
        progress();
    }

    /** Sends whose answers are held now. */
    public int heldAnswers() {
        return heldCount;
    }

    private boolean behind(long now) {
        if (limit.isOff()) {
            return false;
        }
        for (Lane lane : lanes) {
            if (lane.behind(now)) {
                return true;
            }
        }
        return false;
    }

    private void progress() {
        if (heldCount > 0 && !behind(System.nanoTime())) {
            release();
        }
    }

    /**
     * A message left {@code from}: when no lane is behind any more every held answer goes; while the lane furthest
     * behind is {@code from}, one answer goes per message its consumers take, so producers send as fast as the
     * slowest consumers take and the destination stays where it is.
     */
    private void taken(Lane from) {
        if (heldCount == 0) {
            return;
        }
        long now = System.nanoTime();
        Lane furthest = null;
        for (Lane lane : lanes) {
            if (lane.behind(now) && (furthest == null || lane.account.heldBytes() > furthest.account.heldBytes())) {
                furthest = lane;
            }
        }
        if (furthest == null) {
            release();
        } else if (furthest == from) {
            releaseOne();
        }
    }

    private void release() {
        List<Runnable> answers;
        synchronized (lock) {
            if (held.isEmpty()) {
                return;
            }
            answers = new ArrayList<>(held);
            held.clear();
            heldCount = 0;
        }
        answers.forEach(Runnable::run);
    }

    private void releaseOne() {
        Runnable answer;
        synchronized (lock) {
            answer = held.poll();
            heldCount = held.size();
        }
        if (answer != null) {
            answer.run();
        }
    }

    private void scheduleRecheck() {
        if (recheckScheduled) {
            return;
        }
        recheckScheduled = true;
        long delay = Math.max(1, limit.stallMillis() / 4);
        try {
            timer.schedule(this::recheck, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            recheckScheduled = false;
        }
    }

    /** While answers are held: releases them when consumers stalled (or left), else looks again later. */
    private void recheck() {
        synchronized (lock) {
            recheckScheduled = false;
        }
        long now = System.nanoTime();
        if (!behind(now)) {
            logStall(now);
            release();
        }
        synchronized (lock) {
            if (!held.isEmpty()) {
                scheduleRecheck();
            }
        }
    }

    private void logStall(long now) {
        for (Lane lane : lanes) {
            if (lane.stalled(now) && !stallLogged) {
                stallLogged = true;
                LOG.warn("TERN-B0801 consumers of {} took no message for {} ms while it holds {} bytes for them"
                        + " (producer-flow-limit={}): its producers are not paced until a consumer takes one",
                        description, TimeUnit.NANOSECONDS.toMillis(now - lane.lastTakenNanos),
                        lane.account.heldBytes(), limit.bytes());
                return;
            }
        }
    }

    /** A container of the destination whose consumers its producers wait for: a queue, or a topic subscription. */
    public final class Lane {
        private final MemoryBudget.Account account;
        private final IntSupplier consumers;
        private volatile long lastTakenNanos = System.nanoTime();

        private Lane(MemoryBudget.Account account, IntSupplier consumers) {
            this.account = account;
            this.consumers = consumers;
        }

        /** A message left the container (consumed, expired, dropped): held answers may go. Must be cheap. */
        public void taken() {
            lastTakenNanos = System.nanoTime();
            if (stallLogged) {
                stallLogged = false;
                LOG.info("TERN-B0802 consumers of {} take messages again: its producers are paced again",
                        description);
            }
            ProducerFlow.this.taken(this);
        }

        /** A consumer joined: the stall clock starts again, so a fresh consumer is waited for. */
        public void joined() {
            lastTakenNanos = System.nanoTime();
        }

        /** A consumer left; when it was the last, nobody is waited for any more. */
        public void left() {
            progress();
        }

        /** The container is gone (a subscription closed): its consumers are waited for no more. */
        public void close() {
            lanes.remove(this);
            progress();
        }

        private boolean behind(long now) {
            return account.heldBytes() >= limit.bytes() && now - lastTakenNanos < stallNanos
                    && consumers.getAsInt() > 0;
        }

        private boolean stalled(long now) {
            return account.heldBytes() >= limit.bytes() && now - lastTakenNanos >= stallNanos
                    && consumers.getAsInt() > 0;
        }
    }
}
