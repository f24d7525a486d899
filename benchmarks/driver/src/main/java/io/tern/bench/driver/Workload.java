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

    /** The workload of a {@linkplain Scenario#windowed() windowed} scenario. */
    static Workload of(Scenario scenario) {
        if (!scenario.windowed()) {
            throw new IllegalArgumentException(scenario.id() + " is not a timed window");
        }
        return scenario.kind() == Scenario.Kind.REQUEST_REPLY ? new RequestReply(scenario) : new Flow(scenario);
    }

    static Connection open(ConnectionFactory factory, List<Connection> connections) throws JMSException {
        Connection connection = factory.createConnection();
        connections.add(connection);
        return connection;
    }
}
