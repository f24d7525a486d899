package io.tern.jms.provider;

import io.netty.channel.local.LocalAddress;

/** The in-JVM address a broker listens on for {@code vm://NAME} connections. */
public final class VmAddress {
    private VmAddress() {
    }

    public static LocalAddress of(String name) {
        return new LocalAddress("tern-vm:" + name);
    }
}
