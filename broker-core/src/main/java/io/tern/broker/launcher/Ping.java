package io.tern.broker.launcher;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * {@code ./tern ping [URL]}: proves a broker works end to end. Sends one message to the queue {@code tern.ping},
 * receives it back and prints the round trip. Exit code 0 when it came back, 1 otherwise.
 */
public final class Ping {
    static final String QUEUE = "tern.ping";

    private Ping() {
    }

    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))) {
            System.out.println("usage: ./tern ping [URL]   (default tcp://127.0.0.1:61616)");
            System.exit(args.length == 1 ? 0 : 2);
        }
        String url = args.length == 1 ? args[0] : TernConnectionFactory.DEFAULT_BROKER_URL;
        try {
            System.out.println(ping(url));
        } catch (JMSException e) {
            System.err.println("ping failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Sends and receives one message; returns the line to print. */
    static String ping(String url) throws JMSException {
        long start = System.nanoTime();
        try (Connection connection = new TernConnectionFactory(url).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(QUEUE);
            String marker = "ping " + System.nanoTime();
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            producer.send(session.createTextMessage(marker));
            connection.start();
            var consumer = session.createConsumer(queue);
            while (true) {
                Message m = consumer.receive(5000);
                if (m == null) {
                    throw new JMSException("the message sent to queue '" + QUEUE + "' at " + url
                            + " did not come back within 5 s");
                }
                if (m instanceof TextMessage t && marker.equals(t.getText())) {
                    long micros = (System.nanoTime() - start) / 1000;
                    return "ok: sent and received a message on queue '" + QUEUE + "' at " + url + " in "
                            + (micros / 1000) + "." + String.format("%03d", micros % 1000) + " ms";
                }
            }
        }
    }
}
