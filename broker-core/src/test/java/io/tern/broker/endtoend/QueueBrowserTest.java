package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** QueueBrowser: the enumeration shows the queue's waiting messages and consumes none of them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueBrowserTest {
    @TempDir
    Path dataDir;

    static List<String> texts(Enumeration<?> e) throws Exception {
        List<String> texts = new ArrayList<>();
        while (e.hasMoreElements()) {
            texts.add(((TextMessage) e.nextElement()).getText());
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void browsingShowsWaitingMessagesInDispatchOrderAndConsumesNone(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("browsed");
            MessageProducer p = s.createProducer(q);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                p.send(s.createTextMessage("m" + i));
                sent.add("m" + i);
            }
            p.send(s.createTextMessage("urgent"), jakarta.jms.DeliveryMode.PERSISTENT, 9, 0);
            // The connection is not started: a browser delivers nothing to a consumer, so it needs no start.
            QueueBrowser browser = s.createBrowser(q);
            assertThat(browser.getQueue()).isEqualTo(q);
            assertThat(browser.getMessageSelector()).isNull();
            List<String> expected = new ArrayList<>(List.of("urgent"));
            expected.addAll(sent);
            assertThat(texts(browser.getEnumeration())).containsExactlyElementsOf(expected);
            assertThat(texts(browser.getEnumeration())).as("a second enumeration sees the same queue")
                    .containsExactlyElementsOf(expected);
            browser.close();

            c.start();
            MessageConsumer consumer = s.createConsumer(q);
            for (String text : expected) {
                assertThat(QueueMessagingTest.text(consumer.receive(5000))).isEqualTo(text);
            }
            assertThat(consumer.receiveNoWait()).isNull();
            assertThat(s.createBrowser(q).getEnumeration().hasMoreElements()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void aSelectorLimitsWhatIsBrowsedAndCreditIsGrantedAsTheEnumerationAdvances(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory(transport, "prefetch=7").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("many");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < 300; i++) {
                Message m = s.createTextMessage("n" + i);
                m.setIntProperty("n", i);
                p.send(m);
            }
            QueueBrowser even = s.createBrowser(q, "n / 2 * 2 = n");
            assertThat(even.getMessageSelector()).isEqualTo("n / 2 * 2 = n");
            List<String> texts = texts(even.getEnumeration());
            assertThat(texts).hasSize(150).startsWith("n0", "n2").endsWith("n298");
            assertThat(texts(s.createBrowser(q).getEnumeration())).hasSize(300);
            assertThat(broker.broker().queueDepth("many")).isEqualTo(300);
        }
    }

    @Test
    void anEnumerationAtItsEndSaysSoAndRefusesMore() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("one");
            s.createProducer(q).send(s.createTextMessage("only"));
            Enumeration<?> e = s.createBrowser(q).getEnumeration();
            assertThat(((TextMessage) e.nextElement()).getText()).isEqualTo("only");
            assertThat(e.hasMoreElements()).isFalse();
            assertThatThrownBy(e::nextElement).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void misuseRaisesTheSpecsExceptions() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             Connection c = broker.factory("vm", "").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("q");
            assertThatThrownBy(() -> s.createBrowser(null)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> s.createBrowser(q, "a = ")).isInstanceOf(InvalidSelectorException.class);
            assertThatThrownBy(() -> ((jakarta.jms.TopicConnection) c).createTopicSession(false, Session.AUTO_ACKNOWLEDGE).createBrowser(q))
                    .isInstanceOf(IllegalStateException.class);
            QueueBrowser b = s.createBrowser(q);
            b.close();
            assertThatThrownBy(b::getEnumeration).isInstanceOf(IllegalStateException.class);
            QueueBrowser open = s.createBrowser(q);
            s.close();
            assertThatThrownBy(() -> s.createBrowser(q)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(open::getQueue).isInstanceOf(IllegalStateException.class);
        }
    }
}
