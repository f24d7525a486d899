package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Producers send to one queue, or publish to one topic, as fast as the provider lets them, or at a fixed rate in
 * all when one is given (each producer an equal share, on a {@link Pacer}'s schedule); consumers (subscribers)
 * receive. Each producer and consumer has its own connection, as separate applications would. Throughput counts
 * messages received in the measured window, by all consumers together (so every delivery for a topic); latency is
 * send to receive.
 */
final class Flow implements Workload {
    private static final long RECEIVE_TIMEOUT_MILLIS = 100;

    private final Scenario scenario;
    private final double rate;

    /** @param rate messages a second for all producers together; 0 for as fast as possible */
    Flow(Scenario scenario, double rate) {
        this.scenario = scenario;
        this.rate = rate;
    }

    @Override
    public List<Runnable> workers(ConnectionFactory factory, Window window, List<Connection> connections)
            throws JMSException {
        List<Runnable> workers = new ArrayList<>();
        for (int i = 0; i < scenario.consumers(); i++) {
            Connection connection = Workload.open(factory, connections);
            workers.add(() -> consume(connection, window, window.tally()));
        }
        for (int i = 0; i < scenario.producers(); i++) {
            Connection connection = Workload.open(factory, connections);
            workers.add(() -> produce(connection, window));
        }
        return workers;
    }

    private Session session(Connection connection) throws JMSException {
        return scenario.batch() > 0 ? connection.createSession(true, Session.SESSION_TRANSACTED)
                : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private Destination destination(Session session) throws JMSException {
        return scenario.kind() == Scenario.Kind.TOPIC ? session.createTopic(scenario.queue())
                : session.createQueue(scenario.queue());
    }

    private void produce(Connection connection, Window window) {
        try {
            Session session = session(connection);
            MessageProducer producer = session.createProducer(destination(session));
            producer.setDeliveryMode(scenario.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            Pacer pacer = Pacer.of(rate, scenario.producers());
            boolean measuring = false;
            int inBatch = 0;
            while (window.running()) {
                if (!measuring && window.measuring()) {
                    // A lag built up in the warm-up (JIT) is not the measured window's.
                    pacer.restart();
                    measuring = true;
                }
                producer.send(Messages.stamped(session, pacer.next()));
                if (scenario.batch() > 0 && ++inBatch == scenario.batch()) {
                    session.commit();
                    inBatch = 0;
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (window.running()) {
                window.fail(e);
            }
        }
    }

    private void consume(Connection connection, Window window, Window.Tally tally) {
        try {
            Session session = session(connection);
            MessageConsumer consumer = session.createConsumer(destination(session));
            connection.start();
            int inBatch = 0;
            while (window.running()) {
                Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                if (message != null) {
                    long age = Messages.age(message);
                    if (window.measuring()) {
                        tally.record(age);
                    }
                    inBatch++;
                }
                if (scenario.batch() > 0 && inBatch > 0 && (inBatch == scenario.batch() || message == null)) {
                    session.commit();
                    inBatch = 0;
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (window.running()) {
                window.fail(e);
            }
        }
    }
}
