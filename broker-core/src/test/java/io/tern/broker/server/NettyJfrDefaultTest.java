package io.tern.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyJfrDefaultTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Server.NETTY_JFR);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Server.NETTY_JFR);
        } else {
            System.setProperty(Server.NETTY_JFR, saved);
        }
    }

    @Test
    void nettysAllocatorEventsAreOffByDefault() {
        System.clearProperty(Server.NETTY_JFR);
        Server.defaultNettyJfr();
        assertThat(System.getProperty(Server.NETTY_JFR)).isEqualTo("false");
    }

    @Test
    void aValueTheJvmWasGivenIsKept() {
        System.setProperty(Server.NETTY_JFR, "true");
        Server.defaultNettyJfr();
        assertThat(System.getProperty(Server.NETTY_JFR)).isEqualTo("true");
    }
}
