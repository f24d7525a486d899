package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stored backlog on one queue, in two phases that may run in different driver JVMs (with the broker killed in
 * between): {@link #fill} sends N persistent messages with nobody consuming, {@link #drain} receives them all. Both
 * use the scenario's producers (consumers), each on its own connection and transacted with a commit every
 * {@link Scenario#batch()} messages, so every provider forces once per batch and the rates compare stores, not
 * round trips. The clock starts once every connection is open.
 */
final class Backlog {
    /** A drain that receives nothing for this long has lost messages (or the broker stalled): it fails. */
    static final long STALL_MILLIS = 60_000;
    private static final long RECEIVE_TIMEOUT_MILLIS = 100;

    private final Scenario scenario;
    private final ConnectionFactory factory;
    private final long messages;

    Backlog(Scenario scenario, ConnectionFactory factory, long messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("a backlog needs at least 1 message, not " + messages);
        }
        this.scenario = scenario;
        this.factory = factory;
        this.messages = messages;
    }

    /** Sends the backlog; figures: {@link Figures#MESSAGES} and {@link Figures#FILL_RATE}. */
    Map<String, Double> fill() throws Exception {
        int producers = scenario.producers();
        Parallel.Timing timing = Parallel.run(factory, producers, (connection, index) -> send(connection,
                messages / producers + (index < messages % producers ? 1 : 0)));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(Figures.MESSAGES, (double) messages);
        figures.put(Figures.FILL_RATE, messages / timing.seconds());
        return figures;
    }

    /**
     * Receives until every one of the backlog's messages has been received and committed; figures:
     * {@link Figures#RECEIVED}, {@link Figures#FIRST_MESSAGE_MS} (clock start to the first message) and
     * {@link Figures#DRAIN_RATE}. Fails when nothing arrives for {@value #STALL_MILLIS} ms.
     */
    Map<String, Double> drain() throws Exception {
        Progress progress = new Progress();
        Parallel.Timing timing = Parallel.run(factory, scenario.consumers(),
                (connection, index) -> receive(connection, progress));
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(Figures.RECEIVED, (double) progress.received.get());
        figures.put(Figures.FIRST_MESSAGE_MS, (progress.firstNanos.get() - timing.startNanos()) / 1e6);
        figures.put(Figures.DRAIN_RATE, messages / timing.seconds());
        return figures;
    }

    private void send(Connection connection, long count) throws JMSException {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(session.createQueue(scenario.queue()));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (long i = 1; i <= count; i++) {
            producer.send(Messages.stamped(session));
            if (i % scenario.batch() == 0) {
                session.commit();
            }
        }
        if (count % scenario.batch() != 0) {
            session.commit();
        }
    }

    /** The consumers' shared progress. */
    private static final class Progress {
        final AtomicLong received = new AtomicLong();
        final AtomicLong firstNanos = new AtomicLong();
        final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    }

    private void receive(Connection connection, Progress progress) throws JMSException {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = session.createConsumer(session.createQueue(scenario.queue()));
        connection.start();
        progress.lastNanos.set(System.nanoTime());
        int inBatch = 0;
        while (true) {
            Message message = progress.received.get() >= messages ? null : consumer.receive(RECEIVE_TIMEOUT_MILLIS);
            long now = System.nanoTime();
            if (message != null) {
                inBatch++;
                progress.firstNanos.compareAndSet(0, now);
                progress.lastNanos.set(now);
                progress.received.incrementAndGet();
            }
            boolean done = progress.received.get() >= messages;
            if (inBatch > 0 && (inBatch == scenario.batch() || message == null || done)) {
                session.commit();
                inBatch = 0;
            }
            if (done) {
                return;
            }
            if (message == null && now - progress.lastNanos.get() > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                throw new IllegalStateException("received " + progress.received.get() + " of " + messages
                        + " stored messages, then nothing for " + STALL_MILLIS + " ms");
            }
        }
    }
}
