package io.tern.examples;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Sends one text message to a queue and receives it back.
 *
 * <p>Run it against a standalone broker ({@code ./tern broker}) with {@code tcp://127.0.0.1:61616}, or with no
 * argument to use a broker started inside this JVM ({@code vm://hello}).
 */
public final class HelloQueue {
    private HelloQueue() {
    }

    public static void main(String[] args) throws JMSException {
        String url = args.length > 0 ? args[0] : "vm://hello";
        System.out.println("received: " + roundTrip(url, "Hello from Tern"));
    }

    /** Sends {@code text} to queue {@code hello} at {@code brokerUrl} and returns what came back. */
    public static String roundTrip(String brokerUrl, String text) throws JMSException {
        ConnectionFactory factory = new TernConnectionFactory(brokerUrl);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("hello");
            session.createProducer(queue).send(session.createTextMessage(text));

            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            TextMessage received = (TextMessage) consumer.receive(5000);
            if (received == null) {
                throw new JMSException("no message came back from " + brokerUrl + " within 5 s");
            }
            return received.getText();
        }
    }
}
