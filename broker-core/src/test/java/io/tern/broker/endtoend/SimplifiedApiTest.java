package io.tern.broker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simplified API (JMSContext, JMSProducer, JMSConsumer) against a real broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimplifiedApiTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"vm", "tcp"})
    void bodiesOfEveryKindGoThroughAndComeBackAsTheirType(String transport) throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext context = broker.factory(transport, "").createContext()) {
            Queue q = context.createQueue("simple");
            context.createProducer().setProperty("k", 7).setJMSType("greeting").setJMSCorrelationID("c-1")
                    .send(q, "hello")
                    .send(q, Map.of("a", 1L))
                    .send(q, new byte[] {1, 2, 3})
                    .send(q, new ArrayList<>(List.of("x")));
            JMSConsumer consumer = context.createConsumer(q);
            Message first = consumer.receive(5000);
            assertThat(first.getIntProperty("k")).isEqualTo(7);
            assertThat(first.getJMSType()).isEqualTo("greeting");
            assertThat(first.getJMSCorrelationID()).isEqualTo("c-1");
            assertThat(first.getBody(String.class)).isEqualTo("hello");
            assertThat(consumer.receiveBody(Map.class, 5000)).isEqualTo(Map.of("a", 1L));
            assertThat(consumer.receiveBody(byte[].class, 5000)).containsExactly(1, 2, 3);
            assertThat(consumer.receiveBody(List.class, 5000)).isEqualTo(List.of("x"));
            assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
        }
    }

    @Test
    void aBodyOfTheWrongTypeIsRefusedAndTheMessageComesBackInAutoMode() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext context = broker.factory("vm", "").createContext()) {
            Queue q = context.createQueue("typed");
            context.createProducer().send(q, "text, not a map");
            JMSConsumer consumer = context.createConsumer(q);
            assertThatThrownBy(() -> consumer.receiveBody(Map.class, 5000))
                    .isInstanceOf(MessageFormatRuntimeException.class).hasMessageContaining("java.util.Map");
            Message again = consumer.receive(5000);
            assertThat(again.getBody(String.class)).isEqualTo("text, not a map");
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }

    @Test
    void contextsMadeFromAContextShareItsConnectionUntilTheLastCloses() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            JMSContext first = broker.factory("tcp", "").createContext();
            first.setClientID("shared-id");
            JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
            assertThat(second.getClientID()).isEqualTo("shared-id");
            assertThat(broker.broker().connectionCount()).isEqualTo(1);
            first.close();
            Queue q = second.createQueue("after-first-closed");
            second.createProducer().send(q, "still works");
            Message m = second.createConsumer(q).receive(5000);
            assertThat(m.getBody(String.class)).isEqualTo("still works");
            second.acknowledge();
            assertThatThrownBy(() -> first.createQueue("x")).isInstanceOf(IllegalStateRuntimeException.class);
            second.close();
            org.awaitility.Awaitility.await().until(() -> broker.broker().connectionCount() == 0);
        }
    }

    @Test
    void transactedContextsCommitAndRollBack() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext tx = broker.factory("vm", "").createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext observer = tx.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = tx.createQueue("tx-simple");
            tx.createProducer().send(q, "one");
            JMSConsumer watch = observer.createConsumer(q);
            assertThat(watch.receiveNoWait()).isNull();
            tx.rollback();
            tx.createProducer().send(q, "two");
            tx.commit();
            assertThat(watch.receiveBody(String.class, 5000)).isEqualTo("two");
            assertThat(tx.getTransacted()).isTrue();
            assertThat(tx.getSessionMode()).isEqualTo(JMSContext.SESSION_TRANSACTED);
        }
    }

    @Test
    void checkedExceptionsBecomeTheirUncheckedTwins() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir, b -> b.autoCreateDestinations(false)
                .users(Map.of("u", "p")))) {
            assertThatThrownBy(() -> broker.factory("vm", "").createContext("u", "wrong"))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
            try (JMSContext c = broker.factory("vm", "").createContext("u", "p", JMSContext.AUTO_ACKNOWLEDGE)) {
                c.setClientID("taken");
                assertThatThrownBy(() -> c.createProducer().send(c.createQueue("nowhere"), "x"))
                        .isInstanceOf(InvalidDestinationRuntimeException.class);
                assertThatThrownBy(() -> c.setClientID("late")).isInstanceOf(IllegalStateRuntimeException.class);
                try (JMSContext other = broker.factory("vm", "").createContext("u", "p")) {
                    assertThatThrownBy(() -> other.setClientID("taken"))
                            .isInstanceOf(InvalidClientIDRuntimeException.class);
                }
            }
        }
    }

    @Test
    void asyncSendsCompleteThroughTheListener() throws Exception {
        try (TestBroker broker = TestBroker.start(dataDir);
             JMSContext context = broker.factory("tcp", "").createContext()) {
            Queue q = context.createQueue("async-simple");
            CompletableFuture<Message> done = new CompletableFuture<>();
            context.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.completeExceptionally(exception);
                }
            }).send(q, "later");
            assertThat(done.get(5, TimeUnit.SECONDS).getBody(String.class)).isEqualTo("later");
            assertThat(context.createConsumer(q).receiveBody(String.class, 5000)).isEqualTo("later");
        }
    }
}
