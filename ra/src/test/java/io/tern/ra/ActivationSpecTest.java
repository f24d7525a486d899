package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.resource.spi.InvalidPropertyException;
import java.beans.PropertyDescriptor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link TernActivationSpec#validate()}: every error names the property that is wrong. */
class ActivationSpecTest {

    private static TernActivationSpec valid() {
        TernActivationSpec spec = new TernActivationSpec();
        spec.setDestination("orders");
        spec.setDestinationType(TernActivationSpec.QUEUE);
        return spec;
    }

    private static InvalidPropertyException invalid(TernActivationSpec spec) {
        return catchThrowableOfType(InvalidPropertyException.class, spec::validate);
    }

    private static String[] names(InvalidPropertyException e) {
        return Arrays.stream(e.getInvalidPropertyDescriptors()).map(PropertyDescriptor::getName)
                .toArray(String[]::new);
    }

    @Test
    void aQueueByNameOrByLookupIsValid() {
        assertThatCode(() -> valid().validate()).doesNotThrowAnyException();
        TernActivationSpec byLookup = new TernActivationSpec();
        byLookup.setDestinationLookup("java:/jms/queue/orders");
        assertThatCode(byLookup::validate).doesNotThrowAnyException();
    }

    @Test
    void aMissingDestinationIsNamed() {
        TernActivationSpec spec = valid();
        spec.setDestination(null);
        InvalidPropertyException e = invalid(spec);
        assertThat(e).hasMessageContaining("destination");
        assertThat(names(e)).containsExactly("destination");
    }

    @Test
    void badEnumeratedValuesAreNamed() {
        TernActivationSpec spec = valid();
        spec.setDestinationType("jakarta.jms.Mailbox");
        spec.setAcknowledgeMode("Client-acknowledge");
        spec.setSubscriptionDurability("Forever");
        InvalidPropertyException e = invalid(spec);
        assertThat(names(e)).containsExactly("destinationType", "acknowledgeMode", "subscriptionDurability");
        assertThat(e).hasMessageContaining("jakarta.jms.Mailbox").hasMessageContaining("Client-acknowledge")
                .hasMessageContaining("Forever");
    }

    @Test
    void aDurableSubscriptionNeedsATopicAndAName() {
        TernActivationSpec spec = valid();
        spec.setSubscriptionDurability(TernActivationSpec.DURABLE);
        InvalidPropertyException e = invalid(spec);
        assertThat(names(e)).containsExactly("subscriptionDurability", "subscriptionName");

        spec.setDestinationType(TernActivationSpec.TOPIC);
        spec.setSubscriptionName("audit");
        assertThatCode(spec::validate).doesNotThrowAnyException();
    }

    @Test
    void aSharedSubscriptionNeedsAName() {
        TernActivationSpec spec = valid();
        spec.setDestinationType(TernActivationSpec.TOPIC);
        spec.setShareSubscriptions(true);
        assertThat(names(invalid(spec))).containsExactly("subscriptionName");
    }

    @Test
    void numbersOutOfRangeAreNamed() {
        TernActivationSpec spec = valid();
        spec.setMaxSessions(0);
        spec.setMaxMessagesPerSession(-1);
        spec.setMaxDeliveryAttempts(-2);
        spec.setReconnectInterval(0L);
        spec.setReconnectBackoff(0.5);
        spec.setReceiveTimeout(0L);
        spec.setPrefetch(0);
        InvalidPropertyException e = invalid(spec);
        assertThat(names(e)).containsExactly("maxSessions", "maxMessagesPerSession", "maxDeliveryAttempts",
                "reconnectInterval", "reconnectBackoff", "prefetch", "receiveTimeout");
    }

    @Test
    void maxDeliveryAttemptsNeedsADeadLetterQueue() {
        TernActivationSpec spec = valid();
        spec.setMaxDeliveryAttempts(3);
        spec.setDeadLetterQueue(" ");
        assertThat(names(invalid(spec))).containsExactly("deadLetterQueue");
    }

    @Test
    void theConnectionComesFromTheSpecAndElseFromTheAdapter() {
        BrokerAddress adapter = new BrokerAddress("tcp://10.0.0.1:61616", "ra-user", "ra-pw", "ra-client");
        TernActivationSpec spec = valid();
        assertThat(spec.address(adapter)).isEqualTo(new BrokerAddress("tcp://10.0.0.1:61616?prefetch=1", "ra-user",
                "ra-pw", "ra-client"));
        spec.setServerUrl("tcp://127.0.0.1:1234");
        spec.setUserName("mdb");
        spec.setPassword("mdb-pw");
        spec.setClientId("mdb-client");
        spec.setConnectionParameters("requestTimeout=5000; prefetch=10");
        assertThat(spec.address(adapter)).isEqualTo(new BrokerAddress(
                "tcp://127.0.0.1:1234?requestTimeout=5000&prefetch=10", "mdb", "mdb-pw", "mdb-client"));
    }
}
