package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.List;

/**
 * A requester sends a persistent request naming a reply queue, a responder on its own connection answers with a
 * persistent reply carrying the same stamp; one request is in flight at a time. Throughput counts round trips,
 * latency is the round trip.
 */
final class RequestReply implements Workload {
    private static final long RECEIVE_TIMEOUT_MILLIS = 100;

    private final Scenario scenario;

    RequestReply(Scenario scenario) {
        this.scenario = scenario;
    }

    @Override
    public List<Runnable> workers(ConnectionFactory factory, Window window, List<Connection> connections)
            throws JMSException {
        Connection responder = Workload.open(factory, connections);
        Connection requester = Workload.open(factory, connections);
        Window.Tally tally = window.tally();
        return List.of(() -> respond(responder, window), () -> request(requester, window, tally));
    }

    private void respond(Connection connection, Window window) {
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(scenario.queue()));
            MessageProducer producer = session.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
            while (window.running()) {
                Message request = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                if (request != null) {
                    producer.send(request.getJMSReplyTo(), Messages.reply(session, request));
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (window.running()) {
                window.fail(e);
            }
        }
    }

    private void request(Connection connection, Window window, Window.Tally tally) {
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue replies = session.createQueue(scenario.queue() + ".reply");
            MessageProducer producer = session.createProducer(session.createQueue(scenario.queue()));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageConsumer consumer = session.createConsumer(replies);
            connection.start();
            while (window.running()) {
                Message request = Messages.stamped(session);
                request.setJMSReplyTo(replies);
                producer.send(request);
                Message reply = null;
                while (reply == null && window.running()) {
                    reply = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
                }
                if (reply != null && window.measuring()) {
                    tally.record(Messages.age(reply));
                }
            }
        } catch (JMSException | RuntimeException e) {
            if (window.running()) {
                window.fail(e);
            }
        }
    }
}
