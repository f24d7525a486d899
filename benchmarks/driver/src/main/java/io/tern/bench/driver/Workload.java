package io.tern.bench.driver;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.util.List;

/** A scenario's moving parts: it opens its connections up front and returns the loops its threads run. */
interface Workload {

    /** Opens every connection (added to {@code connections}, which the driver closes) and returns the workers. */
    List<Runnable> workers(ConnectionFactory factory, Window window, List<Connection> connections)
            throws JMSException;

    /**
     * The workload of a {@linkplain Scenario#windowed() windowed} scenario.
     *
     * @param rate messages a second that the producers of a queue or topic scenario send in all, each an equal
     *             share on a fixed schedule ({@link Pacer}); 0 for as fast as the provider lets them. Request/reply
     *             keeps one request in flight and is never paced.
     */
    static Workload of(Scenario scenario, double rate) {
        if (!scenario.windowed()) {
            throw new IllegalArgumentException(scenario.id() + " is not a timed window");
        }
        return scenario.kind() == Scenario.Kind.REQUEST_REPLY ? new RequestReply(scenario)
                : new Flow(scenario, rate);
    }

    static Connection open(ConnectionFactory factory, List<Connection> connections) throws JMSException {
        Connection connection = factory.createConnection();
        connections.add(connection);
        return connection;
    }
}
