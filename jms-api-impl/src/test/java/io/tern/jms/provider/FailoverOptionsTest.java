package io.tern.jms.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;

/** The failover URI: its two forms, its options and their defaults, and errors that name the bad part. */
class FailoverOptionsTest {

    @Test
    void theParenthesisedFormKeepsEachUrisOwnParametersAndTheDefaults() throws Exception {
        ConnectionOptions o = ConnectionOptions.parse(
                "failover:(tcp://a:61616?heartbeat=0,tcp://b:61617?connectTimeout=500)");
        assertThat(o.isFailover()).isTrue();
        FailoverOptions f = o.failover();
        assertThat(f.uris()).extracting(ConnectionOptions::address)
                .containsExactly("tcp://a:61616", "tcp://b:61617");
        assertThat(f.uris().get(0).heartbeat()).isZero();
        assertThat(f.uris().get(1).heartbeat()).isEqualTo(10_000);
        assertThat(f.uris().get(1).connectTimeout()).isEqualTo(500);
        assertThat(f.initialReconnectDelay()).isEqualTo(10);
        assertThat(f.maxReconnectDelay()).isEqualTo(30_000);
        assertThat(f.useExponentialBackOff()).isTrue();
        assertThat(f.reconnectBackOffMultiplier()).isEqualTo(2.0);
        assertThat(f.maxReconnectAttempts()).isEqualTo(-1);
        assertThat(f.startupMaxReconnectAttempts()).isEqualTo(-1);
        assertThat(f.randomize()).isFalse();
        assertThat(f.timeout()).isEqualTo(-1);
        assertThat(o.address()).isEqualTo("failover:(tcp://a:61616?heartbeat=0,tcp://b:61617?connectTimeout=500)");
    }

    @Test
    void outerOptionsSetFailoverAndGiveConnectionParametersToEveryUriThatDoesNotSetThem() throws Exception {
        ConnectionOptions o = ConnectionOptions.parse("failover:(tcp://a:1,tcp://b:2?prefetch=7)?initialReconnectDelay=50"
                + "&maxReconnectDelay=400&useExponentialBackOff=false&reconnectBackOffMultiplier=1.5"
                + "&maxReconnectAttempts=3&startupMaxReconnectAttempts=1&randomize=true&timeout=2000"
                + "&prefetch=20&clientId=c1");
        FailoverOptions f = o.failover();
        assertThat(f.initialReconnectDelay()).isEqualTo(50);
        assertThat(f.maxReconnectDelay()).isEqualTo(400);
        assertThat(f.useExponentialBackOff()).isFalse();
        assertThat(f.reconnectBackOffMultiplier()).isEqualTo(1.5);
        assertThat(f.maxReconnectAttempts()).isEqualTo(3);
        assertThat(f.startupMaxReconnectAttempts()).isEqualTo(1);
        assertThat(f.randomize()).isTrue();
        assertThat(f.timeout()).isEqualTo(2000);
        assertThat(f.uris().get(0).prefetch()).isEqualTo(20);
        assertThat(f.uris().get(1).prefetch()).isEqualTo(7);
        assertThat(f.uris()).allSatisfy(u -> assertThat(u.clientId()).isEqualTo("c1"));
        assertThat(o.prefetch()).isEqualTo(20);
        assertThat(o.clientId()).isEqualTo("c1");
    }

    @Test
    void theFormWithoutParenthesesListsUrisAndStartupAttemptsFollowMaxReconnectAttempts() throws Exception {
        ConnectionOptions o = ConnectionOptions.parse("failover:tcp://a:1,vm://b?create=false");
        assertThat(o.failover().uris()).extracting(ConnectionOptions::address).containsExactly("tcp://a:1", "vm://b");
        assertThat(o.failover().uris().get(1).create()).isFalse();
        FailoverOptions f = ConnectionOptions.parse("failover:(tcp://a:1)?maxReconnectAttempts=5").failover();
        assertThat(f.startupMaxReconnectAttempts()).isEqualTo(5);
    }

    @Test
    void aMisspelledOptionIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?maxReconectAttempts=2"))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("unknown parameter 'maxReconectAttempts'")
                .hasMessageContaining("maxReconnectAttempts");
    }

    @Test
    void badValuesAreNamedWithTheirOption() {
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?initialReconnectDelay=soon"))
                .isInstanceOf(JMSException.class).hasMessageContaining("initialReconnectDelay=soon");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?maxReconnectAttempts=-2"))
                .isInstanceOf(JMSException.class).hasMessageContaining("maxReconnectAttempts=-2");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?reconnectBackOffMultiplier=0.5"))
                .isInstanceOf(JMSException.class).hasMessageContaining("reconnectBackOffMultiplier=0.5");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?randomize=maybe"))
                .isInstanceOf(JMSException.class).hasMessageContaining("randomize=maybe");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)?timeout=-5"))
                .isInstanceOf(JMSException.class).hasMessageContaining("timeout=-5");
    }

    @Test
    void malformedListsAreRefused() {
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:()"))
                .isInstanceOf(JMSException.class).hasMessageContaining("names no broker");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1"))
                .isInstanceOf(JMSException.class).hasMessageContaining("never closes");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1)x"))
                .isInstanceOf(JMSException.class).hasMessageContaining("expected '?'");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(ftp://a:1)"))
                .isInstanceOf(JMSException.class).hasMessageContaining("ftp");
        assertThatThrownBy(() -> ConnectionOptions.parse("failover:(tcp://a:1?prefetch=x)"))
                .isInstanceOf(JMSException.class).hasMessageContaining("prefetch=x");
    }

    @Test
    void theConnectionFactoryReportsABadFailoverUriWhenConnecting() {
        assertThatThrownBy(() -> new TernConnectionFactory("failover:(tcp://127.0.0.1:1)?maxReconnectDelay=x")
                .createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("maxReconnectDelay=x");
    }
}
